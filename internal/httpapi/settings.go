package httpapi

import (
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

func (s *Server) getSecurity(w http.ResponseWriter, r *http.Request) error {
	sec, err := s.auth.Security(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sec)
	return nil
}

func (s *Server) putSecurity(w http.ResponseWriter, r *http.Request) error {
	var in auth.SecuritySettings
	if err := decode(r, &in); err != nil {
		return err
	}
	f := apperr.FieldErrors{}
	inRange := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			f.Add(field, "number.range", lo, hi)
		}
	}
	inRange("max_failed_logins", in.MaxFailedLogins, 0, 100)
	inRange("password_max_age_days", in.PasswordMaxAgeDays, 0, 3650)
	inRange("expiry_warning_days", in.ExpiryWarningDays, 0, 365)
	inRange("mask_characters", in.MaskCharacters, 0, 64)
	if err := f.Err(); err != nil {
		return err
	}
	if err := s.db.PutSetting(r.Context(), auth.SecuritySettingsKey, in, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	after, err := queryInt(r, "after", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	f := eventlog.Filter{SubjectType: r.URL.Query().Get("subject_type"), AfterID: int64(after), Limit: limit}
	if sid := r.URL.Query().Get("subject_id"); sid != "" {
		id, err := queryInt(r, "subject_id", 0, 1, 1<<62)
		if err != nil {
			return err
		}
		f.SubjectID = int64(id)
	}
	list, err := s.db.Events(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []eventlog.Event{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

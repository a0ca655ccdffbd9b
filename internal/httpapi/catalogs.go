package httpapi

import (
	"net/http"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/conversation"
)

// The admin catalogs agents use while handling interactions: tags,
// dispositions, canned answers and open sub-statuses. Any signed-in
// principal may list them (the desktop needs them); changing them takes the
// settings section's rights.

// validated runs a Validate method and returns its field errors.
func validated(validate func(apperr.FieldErrors)) error {
	f := apperr.FieldErrors{}
	validate(f)
	return f.Err()
}

// ---- tags

func (s *Server) listTags(w http.ResponseWriter, r *http.Request) error {
	items, err := s.db.Tags(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) tagFor(r *http.Request) (*conversation.Tag, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.db.Tag(r.Context(), id)
}

func (s *Server) getTag(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tagFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) createTag(w http.ResponseWriter, r *http.Request) error {
	var t conversation.Tag
	if err := decode(r, &t); err != nil {
		return err
	}
	t.ID = 0
	return s.saveTag(w, r, &t, http.StatusCreated)
}

func (s *Server) saveTag(w http.ResponseWriter, r *http.Request, t *conversation.Tag, status int) error {
	if err := validated(t.Validate); err != nil {
		return err
	}
	saved, err := s.db.SaveTag(r.Context(), t, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, saved)
	return nil
}

func (s *Server) patchTag(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tagFor(r)
	if err != nil {
		return err
	}
	var in struct {
		Name        *string `json:"name"`
		Colour      *string `json:"colour"`
		Description *string `json:"description"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	setIf(&t.Name, in.Name)
	setIf(&t.Colour, in.Colour)
	setIf(&t.Description, in.Description)
	return s.saveTag(w, r, t, http.StatusOK)
}

func (s *Server) deleteTag(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeleteTag(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- dispositions

// queryAccount reads the optional account_id query parameter that narrows
// a catalog to the global entries and that account's.
func queryAccount(r *http.Request) (*int64, error) {
	if r.URL.Query().Get("account_id") == "" {
		return nil, nil
	}
	id, err := queryInt(r, "account_id", 0, 1, 1<<62)
	if err != nil {
		return nil, err
	}
	a := int64(id)
	return &a, nil
}

func (s *Server) listDispositions(w http.ResponseWriter, r *http.Request) error {
	account, err := queryAccount(r)
	if err != nil {
		return err
	}
	items, err := s.db.Dispositions(r.Context(), account)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) dispositionFor(r *http.Request) (*conversation.Disposition, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.db.Disposition(r.Context(), id)
}

func (s *Server) getDisposition(w http.ResponseWriter, r *http.Request) error {
	d, err := s.dispositionFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) createDisposition(w http.ResponseWriter, r *http.Request) error {
	var d conversation.Disposition
	if err := decode(r, &d); err != nil {
		return err
	}
	d.ID = 0
	return s.saveDisposition(w, r, &d, http.StatusCreated)
}

func (s *Server) saveDisposition(w http.ResponseWriter, r *http.Request, d *conversation.Disposition, status int) error {
	if err := validated(d.Validate); err != nil {
		return err
	}
	saved, err := s.db.SaveDisposition(r.Context(), d, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, saved)
	return nil
}

func (s *Server) patchDisposition(w http.ResponseWriter, r *http.Request) error {
	d, err := s.dispositionFor(r)
	if err != nil {
		return err
	}
	var in struct {
		Name        *string `json:"name"`
		Description *string `json:"description"`
		AccountID   *int64  `json:"account_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	setIf(&d.Name, in.Name)
	setIf(&d.Description, in.Description)
	if in.AccountID != nil {
		d.AccountID = in.AccountID
	}
	return s.saveDisposition(w, r, d, http.StatusOK)
}

func (s *Server) deleteDisposition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeleteDisposition(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- canned answers

func (s *Server) listCannedAnswers(w http.ResponseWriter, r *http.Request) error {
	account, err := queryAccount(r)
	if err != nil {
		return err
	}
	items, err := s.db.CannedAnswers(r.Context(), strings.TrimSpace(r.URL.Query().Get("q")), account)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) cannedAnswerFor(r *http.Request) (*conversation.CannedAnswer, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.db.CannedAnswer(r.Context(), id)
}

func (s *Server) getCannedAnswer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cannedAnswerFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) createCannedAnswer(w http.ResponseWriter, r *http.Request) error {
	var c conversation.CannedAnswer
	if err := decode(r, &c); err != nil {
		return err
	}
	c.ID = 0
	return s.saveCannedAnswer(w, r, &c, http.StatusCreated)
}

func (s *Server) saveCannedAnswer(w http.ResponseWriter, r *http.Request, c *conversation.CannedAnswer, status int) error {
	if err := validated(c.Validate); err != nil {
		return err
	}
	saved, err := s.db.SaveCannedAnswer(r.Context(), c, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, saved)
	return nil
}

func (s *Server) patchCannedAnswer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cannedAnswerFor(r)
	if err != nil {
		return err
	}
	var in struct {
		Title     *string `json:"title"`
		Body      *string `json:"body"`
		AccountID *int64  `json:"account_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	setIf(&c.Title, in.Title)
	setIf(&c.Body, in.Body)
	if in.AccountID != nil {
		c.AccountID = in.AccountID
	}
	return s.saveCannedAnswer(w, r, c, http.StatusOK)
}

func (s *Server) deleteCannedAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeleteCannedAnswer(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- sub-statuses

func (s *Server) listSubStatuses(w http.ResponseWriter, r *http.Request) error {
	items, err := s.db.SubStatuses(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) subStatusFor(r *http.Request) (*conversation.SubStatus, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.db.SubStatus(r.Context(), id)
}

func (s *Server) getSubStatus(w http.ResponseWriter, r *http.Request) error {
	st, err := s.subStatusFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) createSubStatus(w http.ResponseWriter, r *http.Request) error {
	var st conversation.SubStatus
	if err := decode(r, &st); err != nil {
		return err
	}
	st.ID, st.Builtin = 0, false
	if err := validated(st.Validate); err != nil {
		return err
	}
	saved, err := s.db.SaveSubStatus(r.Context(), &st, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, saved)
	return nil
}

func (s *Server) patchSubStatus(w http.ResponseWriter, r *http.Request) error {
	old, err := s.subStatusFor(r)
	if err != nil {
		return err
	}
	var in struct {
		Name        *string `json:"name"`
		Description *string `json:"description"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	st := *old
	setIf(&st.Name, in.Name)
	setIf(&st.Description, in.Description)
	if err := validated(func(f apperr.FieldErrors) { st.ValidateChange(f, old) }); err != nil {
		return err
	}
	saved, err := s.db.SaveSubStatus(r.Context(), &st, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) deleteSubStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeleteSubStatus(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// setIf copies a sent PATCH field.
func setIf(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

package httpapi

import (
	"net/http"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/i18n"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// principalJSON is the public view of a signed-in principal.
type principalJSON struct {
	ID       int64     `json:"id"`
	Kind     auth.Kind `json:"kind"`
	Username string    `json:"username"`
	FullName string    `json:"full_name"`
	Email    string    `json:"email"`
}

type sessionJSON struct {
	Principal              principalJSON `json:"principal"`
	CSRFToken              string        `json:"csrf_token,omitempty"`
	LoginAt                *time.Time    `json:"login_at"`
	PasswordChangeRequired bool          `json:"password_change_required"`
	PasswordExpiresAt      *time.Time    `json:"password_expires_at"`
	PasswordExpiresInDays  *int          `json:"password_expires_in_days"`
	PasswordExpiryWarning  bool          `json:"password_expiry_warning"`
	Rights                 staff.Rights  `json:"rights"`
}

func toPrincipalJSON(p *auth.Principal) principalJSON {
	return principalJSON{ID: p.ID, Kind: p.Kind, Username: p.Username, FullName: p.FullName, Email: p.Email}
}

func toSessionJSON(info *auth.SessionInfo) sessionJSON {
	out := sessionJSON{Principal: toPrincipalJSON(info.Principal),
		PasswordChangeRequired: info.PasswordChangeRequired, PasswordExpiresAt: info.PasswordExpiresAt,
		PasswordExpiresInDays: info.PasswordExpiresInDays, PasswordExpiryWarning: info.PasswordExpiryWarning}
	if info.Session != nil {
		out.CSRFToken = info.Session.CSRFToken
		at := info.Session.CreatedAt
		out.LoginAt = &at
	}
	return out
}

func (s *Server) authOptions(w http.ResponseWriter, r *http.Request) error {
	sec, err := s.auth.Security(r.Context())
	if err != nil {
		return err
	}
	var rules *auth.PasswordRules
	if sec.Enabled {
		r := auth.SuiteRules
		rules = &r
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"security_suite": sec.Enabled, "password_reset_available": s.auth.ResetAvailable(), "password_rules": rules,
	})
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	info, token, err := s.auth.Login(r.Context(), in.Username, in.Password, clientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookie, SameSite: http.SameSiteLaxMode, Expires: info.Session.ExpiresAt})
	caller, err := s.withRights(r.Context(), &Caller{Principal: info.Principal, Info: info})
	if err != nil {
		return err
	}
	out := toSessionJSON(info)
	out.Rights = caller.Rights
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookie, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	out := sessionJSON{Principal: toPrincipalJSON(c.Principal)}
	if c.Info != nil {
		out = toSessionJSON(c.Info)
	}
	out.Rights = c.Rights
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	if c.IsAgent() {
		s.signOutOfRouting(r, c.ID())
	}
	if c.Info != nil {
		if err := s.auth.Logout(r.Context(), c.Info.Session); err != nil {
			return err
		}
	}
	s.clearCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	if err := s.auth.LogoutEverywhere(r.Context(), c.ID(), c.ID()); err != nil {
		return err
	}
	s.clearCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c := callerFrom(r.Context())
	if c.ViaToken {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if err := s.auth.ChangePassword(r.Context(), c.Principal, in.CurrentPassword, in.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) requestReset(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.auth.RequestReset(r.Context(), in.Email, clientIP(r)); err != nil {
		return err
	}
	lang := i18n.Match(r.Header.Get("Accept-Language"))
	writeJSON(w, http.StatusAccepted, map[string]string{"message": i18n.T(lang, "reset.sent")})
	return nil
}

func (s *Server) confirmReset(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token       string `json:"token"`
		NewPassword string `json:"new_password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.auth.ConfirmReset(r.Context(), in.Token, in.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

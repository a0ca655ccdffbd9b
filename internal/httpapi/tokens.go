package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
)

func (s *Server) listAPITokens(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.APITokens(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (s *Server) createAPIToken(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return apperr.Field("name", "field.required")
	}
	if len(in.Name) > 100 {
		return apperr.Field("name", "field.too_long", 100)
	}
	token := "sb_" + auth.RandomToken(32)
	c := callerFrom(r.Context())
	t, err := s.db.CreateAPIToken(r.Context(), auth.APIToken{Name: in.Name, Prefix: token[:7],
		TokenHash: auth.HashToken(token), PrincipalID: c.ID()})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		ID        int64     `json:"id"`
		Name      string    `json:"name"`
		Prefix    string    `json:"prefix"`
		Token     string    `json:"token"`
		CreatedAt time.Time `json:"created_at"`
		CreatedBy string    `json:"created_by"`
	}{t.ID, t.Name, t.Prefix, token, t.CreatedAt, c.Principal.Username})
	return nil
}

func (s *Server) revokeAPIToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.RevokeAPIToken(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

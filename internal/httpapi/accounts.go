package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// The /users resource holds admins and supervisors; /agents holds agents.
var (
	userKinds  = []auth.Kind{auth.KindAdmin, auth.KindUser}
	agentKinds = []auth.Kind{auth.KindAgent}
)

// accountJSON is the admin's view of an account.
type accountJSON struct {
	*auth.Principal
	Locked bool `json:"locked"`
}

func toAccountJSON(p *auth.Principal) accountJSON {
	return accountJSON{Principal: p, Locked: p.Locked()}
}

func (s *Server) listAccounts(kinds []auth.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		limit, err := queryInt(r, "limit", 50, 1, 500)
		if err != nil {
			return err
		}
		offset, err := queryInt(r, "offset", 0, 0, 1<<30)
		if err != nil {
			return err
		}
		list, total, err := s.db.Principals(r.Context(), store.PrincipalFilter{Kinds: kinds,
			Query: strings.TrimSpace(r.URL.Query().Get("q")), Limit: limit, Offset: offset})
		if err != nil {
			return err
		}
		items := make([]accountJSON, len(list))
		for i, p := range list {
			items[i] = toAccountJSON(p)
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
		return nil
	}
}

func (s *Server) createAccount(kinds []auth.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in auth.NewAccount
		if err := decode(r, &in); err != nil {
			return err
		}
		in.Normalize()
		if slices.Equal(kinds, agentKinds) {
			in.Kind = auth.KindAgent
		} else if in.Kind == auth.KindAgent {
			in.Kind = "" // agents are created under /agents
		}
		f := apperr.FieldErrors{}
		in.Validate(f)
		if err := f.Err(); err != nil {
			return err
		}
		hash, mustChange, err := s.auth.HashInitialPassword(r.Context(), "password", in.Password)
		if err != nil {
			return err
		}
		p, err := s.db.CreatePrincipal(r.Context(), auth.Principal{Kind: in.Kind, Username: in.Username,
			FullName: in.FullName, Email: in.Email, PasswordHash: hash, MustChangePassword: mustChange},
			callerFrom(r.Context()).ID())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, toAccountJSON(p))
		return nil
	}
}

// account loads a live account of one of kinds, else not found.
func (s *Server) account(r *http.Request, kinds []auth.Kind) (*auth.Principal, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := s.db.Principal(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if p.DeletedAt != nil || !slices.Contains(kinds, p.Kind) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return p, nil
}

func (s *Server) getAccount(kinds []auth.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.account(r, kinds)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, toAccountJSON(p))
		return nil
	}
}

func (s *Server) unlockAccount(kinds []auth.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.account(r, kinds)
		if err != nil {
			return err
		}
		if err := s.db.Unlock(r.Context(), p.ID, callerFrom(r.Context()).ID()); err != nil {
			return err
		}
		p, err = s.db.Principal(r.Context(), p.ID)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, toAccountJSON(p))
		return nil
	}
}

func (s *Server) setAccountPassword(kinds []auth.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Password string `json:"password"`
		}
		if err := decode(r, &in); err != nil {
			return err
		}
		p, err := s.account(r, kinds)
		if err != nil {
			return err
		}
		if err := s.auth.SetPassword(r.Context(), p, in.Password, callerFrom(r.Context()).ID()); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

package httpapi

import (
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// listScope is the profile that bounds which lists a user sees; nil for
// admins (all lists).
func listScope(c *Caller) *int64 { return teamScope(c) }

func (s *Server) listLists(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Lists(r.Context(), listScope(callerFrom(r.Context())))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

// listFor loads a list the caller may see.
func (s *Server) listFor(r *http.Request) (*staff.List, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if scope := listScope(callerFrom(r.Context())); scope != nil {
		visible, err := s.db.Lists(r.Context(), scope)
		if err != nil {
			return nil, err
		}
		found := false
		for _, l := range visible {
			found = found || l.ID == id
		}
		if !found {
			return nil, apperr.New(apperr.Forbidden, "scope.list")
		}
	}
	return s.db.List(r.Context(), id)
}

// getList answers a list with how many contacts it holds, so a page can
// say what deleting it would delete.
func (s *Server) getList(w http.ResponseWriter, r *http.Request) error {
	l, err := s.listFor(r)
	if err != nil {
		return err
	}
	n, err := s.db.ListContactCount(r.Context(), l.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		*staff.List
		ContactCount int `json:"contact_count"`
	}{l, n})
	return nil
}

func (s *Server) createList(w http.ResponseWriter, r *http.Request) error {
	var l staff.List
	if err := decode(r, &l); err != nil {
		return err
	}
	l.ID = 0
	return s.saveList(w, r, &l, http.StatusCreated)
}

func (s *Server) saveList(w http.ResponseWriter, r *http.Request, l *staff.List, status int) error {
	f := apperr.FieldErrors{}
	l.Validate(f)
	if err := f.Err(); err != nil {
		return err
	}
	saved, err := s.db.SaveList(r.Context(), l, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, saved)
	return nil
}

func (s *Server) patchList(w http.ResponseWriter, r *http.Request) error {
	l, err := s.listFor(r)
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
	if in.Name != nil {
		l.Name = *in.Name
	}
	if in.Description != nil {
		l.Description = *in.Description
	}
	return s.saveList(w, r, l, http.StatusOK)
}

// deleteList deletes a list; one holding contacts only with
// ?delete_contacts=true (they are deleted with it).
func (s *Server) deleteList(w http.ResponseWriter, r *http.Request) error {
	deleteContacts, err := queryBool(r, "delete_contacts")
	if err != nil {
		return err
	}
	l, err := s.listFor(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteList(r.Context(), l.ID, deleteContacts, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

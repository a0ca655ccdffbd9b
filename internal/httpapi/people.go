package httpapi

import "net/http"

// interactionPeople names the staff an interaction's conversation
// mentions (who wrote its messages and notes, its owner and first agent)
// for whoever may read it: an agent may not list staff, yet his desktop
// must say which colleague or supervisor wrote what.
func (s *Server) interactionPeople(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	people, err := s.db.InteractionPeople(r.Context(), it.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": people})
	return nil
}

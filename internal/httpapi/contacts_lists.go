package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// The Contact Manager side of lists: their custom fields, the agents who
// may use them, and the lists a caller may use (with their fields, for
// his forms and searches).

// usableList is a list as its user sees it in the Contact Manager.
type usableList struct {
	*staff.List
	Access contacts.Access  `json:"access"`
	Fields []contacts.Field `json:"fields"`
}

// contactLists lists the lists the caller may use, with what he may do in
// each and their custom fields.
func (s *Server) contactLists(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.contactScope(r)
	if err != nil {
		return err
	}
	all, err := s.db.Lists(r.Context(), nil)
	if err != nil {
		return err
	}
	out := []usableList{}
	var ids []int64
	for _, l := range all {
		if a := cs.access(l.ID); a.CanRead() {
			out = append(out, usableList{List: l, Access: a, Fields: []contacts.Field{}})
			ids = append(ids, l.ID)
		}
	}
	fields, err := s.db.ListFields(r.Context(), ids...)
	if err != nil {
		return err
	}
	for _, f := range fields {
		for n := range out {
			if out[n].ID == f.ListID {
				out[n].Fields = append(out[n].Fields, f)
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) listFieldsOf(w http.ResponseWriter, r *http.Request) error {
	l, err := s.listFor(r)
	if err != nil {
		return err
	}
	fields, err := s.db.ListFields(r.Context(), l.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": fields})
	return nil
}

func (s *Server) createListField(w http.ResponseWriter, r *http.Request) error {
	l, err := s.listFor(r)
	if err != nil {
		return err
	}
	var f contacts.Field
	if err := decode(r, &f); err != nil {
		return err
	}
	f.ID, f.ListID = 0, l.ID
	return s.saveListField(w, r, &f, http.StatusCreated)
}

// listFieldFor loads a custom field of a list the caller may see.
func (s *Server) listFieldFor(r *http.Request) (*contacts.Field, error) {
	l, err := s.listFor(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "field_id")
	if err != nil {
		return nil, err
	}
	return s.db.ListField(r.Context(), l.ID, id)
}

// patchListField changes the attributes sent; options sent replace the
// old ones whole.
func (s *Server) patchListField(w http.ResponseWriter, r *http.Request) error {
	f, err := s.listFieldFor(r)
	if err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	keep := *f
	if _, ok := raw["options"]; ok {
		f.Options = nil
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, f); err != nil {
		return apperr.New(apperr.Invalid, "error.bad_json")
	}
	f.ID, f.ListID, f.CreatedAt, f.UpdatedAt = keep.ID, keep.ListID, keep.CreatedAt, keep.UpdatedAt
	return s.saveListField(w, r, f, http.StatusOK)
}

func (s *Server) saveListField(w http.ResponseWriter, r *http.Request, f *contacts.Field, status int) error {
	if err := validated(f.Validate); err != nil {
		return err
	}
	saved, err := s.db.SaveListField(r.Context(), f, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, saved)
	return nil
}

func (s *Server) deleteListField(w http.ResponseWriter, r *http.Request) error {
	f, err := s.listFieldFor(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteListField(r.Context(), f.ListID, f.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listAgentsOf(w http.ResponseWriter, r *http.Request) error {
	l, err := s.listFor(r)
	if err != nil {
		return err
	}
	agents, err := s.db.ListAgents(r.Context(), l.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": agents})
	return nil
}

// agentChoice is an agent as a list's agent picker shows him: who he is,
// and nothing else of his staff record.
type agentChoice struct {
	ID                 int64   `json:"id"`
	Username           string  `json:"username"`
	FullName           string  `json:"full_name"`
	AvatarThumbnailURL *string `json:"avatar_thumbnail_url"`
}

// listAgentChoices lists the agents the caller may give a list to (a
// user: the agents of his profile's queues, as putListAgent checks),
// searched and paged like GET /agents. It needs only the contact lists'
// edit right: whoever sets up lists must be able to pick their agents
// without the right to view the staff records.
func (s *Server) listAgentChoices(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.listFor(r); err != nil {
		return err
	}
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	if f.Sort != "full_name" {
		f.Sort = "username" // what a choice shows, nothing of the staff record
	}
	af := store.AgentFilter{Query: f.Query, Sort: f.Sort, Desc: f.Desc, Limit: f.Limit, Offset: f.Offset}
	if c := callerFrom(r.Context()); c.Scoped() {
		if c.ProfileID == nil {
			writeJSON(w, http.StatusOK, map[string]any{"items": []agentChoice{}, "total": 0})
			return nil
		}
		af.ScopeProfileID = c.ProfileID
	}
	agents, total, err := s.db.Agents(r.Context(), af)
	if err != nil {
		return err
	}
	items := make([]agentChoice, len(agents))
	for i, a := range agents {
		items[i] = agentChoice{ID: a.ID, Username: a.Username, FullName: a.FullName,
			AvatarThumbnailURL: toAgentJSON(a).AvatarThumbnailURL}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
	return nil
}

// listAgentFor loads the list and the agent of a list-permission route: a
// user may only give the lists of his profile to the agents of his
// profile's queues.
func (s *Server) listAgentFor(r *http.Request) (*staff.List, int64, error) {
	l, err := s.listFor(r)
	if err != nil {
		return nil, 0, err
	}
	agentID, err := pathID(r, "agent_id")
	if err != nil {
		return nil, 0, err
	}
	if err := s.checkAgentScope(r, agentID); err != nil {
		return nil, 0, err
	}
	return l, agentID, nil
}

// putListAgent lets an agent use a list: {"access": "read"|"edit"}.
func (s *Server) putListAgent(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Access contacts.Access `json:"access"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if !contacts.ValidAgentAccess(in.Access) {
		return apperr.Field("access", "access.invalid")
	}
	l, agentID, err := s.listAgentFor(r)
	if err != nil {
		return err
	}
	if err := s.db.SetListAgent(r.Context(), l.ID, agentID, in.Access, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	return s.listAgentsOf(w, r)
}

func (s *Server) deleteListAgent(w http.ResponseWriter, r *http.Request) error {
	l, agentID, err := s.listAgentFor(r)
	if err != nil {
		return err
	}
	if err := s.db.RemoveListAgent(r.Context(), l.ID, agentID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

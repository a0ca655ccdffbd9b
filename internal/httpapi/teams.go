package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// teamScope is the profile that bounds which members a caller sees.
func teamScope(c *Caller) *int64 {
	if !c.Scoped() {
		return nil
	}
	if c.ProfileID == nil {
		none := int64(0)
		return &none
	}
	return c.ProfileID
}

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	list, total, err := s.db.Teams(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list, "total": total})
	return nil
}

type teamBody struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) error {
	var in teamBody
	if err := decode(r, &in); err != nil {
		return err
	}
	name, desc := trimmed(in.Name), trimmed(in.Description)
	f := apperr.FieldErrors{}
	staff.ValidateTeam(f, name, desc)
	if err := f.Err(); err != nil {
		return err
	}
	t, err := s.db.CreateTeam(r.Context(), name, desc, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}

func trimmed(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func (s *Server) writeTeam(w http.ResponseWriter, r *http.Request, id int64) error {
	t, err := s.db.Team(r.Context(), id, teamScope(callerFrom(r.Context())))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeTeam(w, r, id)
}

func (s *Server) patchTeam(w http.ResponseWriter, r *http.Request) error {
	var in teamBody
	if err := decode(r, &in); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cur, err := s.db.Team(r.Context(), id, nil)
	if err != nil {
		return err
	}
	name, desc := cur.Name, cur.Description
	if in.Name != nil {
		name = trimmed(in.Name)
	}
	if in.Description != nil {
		desc = trimmed(in.Description)
	}
	f := apperr.FieldErrors{}
	staff.ValidateTeam(f, name, desc)
	if err := f.Err(); err != nil {
		return err
	}
	if err := s.db.UpdateTeam(r.Context(), id, name, desc, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	return s.writeTeam(w, r, id)
}

func (s *Server) deleteTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.db.DeleteTeams(r.Context(), []int64{id}, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	s.routingChanged(r, "team", id)
	if n == 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) deleteTeams(w http.ResponseWriter, r *http.Request) error {
	ids, err := decodeIDs(r)
	if err != nil {
		return err
	}
	n, err := s.db.DeleteTeams(r.Context(), ids, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	s.routingChanged(r, "team", 0)
	writeJSON(w, http.StatusOK, map[string]int{"deleted": n})
	return nil
}

func (s *Server) addTeamAgents(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		AgentIDs []int64 `json:"agent_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if len(in.AgentIDs) == 0 {
		return apperr.Field("agent_ids", "field.required")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	for _, a := range in.AgentIDs {
		if err := s.checkAgentScope(r, a); err != nil {
			return err
		}
	}
	if err := s.db.AddTeamAgents(r.Context(), id, in.AgentIDs, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	s.routingChanged(r, "team", id)
	return s.writeTeam(w, r, id)
}

func (s *Server) removeTeamAgent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	agentID, err := pathID(r, "agent_id")
	if err != nil {
		return err
	}
	if err := s.checkAgentScope(r, agentID); err != nil {
		return err
	}
	if err := s.db.RemoveTeamAgent(r.Context(), id, agentID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	s.routingChanged(r, "team", id)
	return s.writeTeam(w, r, id)
}

func (s *Server) setTeamQueues(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		QueueIDs []int64 `json:"queue_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.checkQueueScope(r, "queue_ids", in.QueueIDs); err != nil {
		return err
	}
	if err := s.db.SetTeamQueues(r.Context(), id, in.QueueIDs, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	s.routingChanged(r, "team", id)
	return s.writeTeam(w, r, id)
}

func (s *Server) exportTeams(w http.ResponseWriter, r *http.Request) error {
	ids, err := queryIDs(r)
	if err != nil {
		return err
	}
	rows := [][]string{{"id", "name", "description", "agents", "agent_usernames", "created_at"}}
	for _, id := range ids {
		t, err := s.db.Team(r.Context(), id, teamScope(callerFrom(r.Context())))
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		names := make([]string, len(t.Agents))
		for i, m := range t.Agents {
			names[i] = m.Username
		}
		rows = append(rows, []string{strconv.FormatInt(t.ID, 10), t.Name, t.Description, strconv.Itoa(len(t.Agents)),
			strings.Join(names, "; "), t.CreatedAt.UTC().Format(time.RFC3339)})
	}
	return writeCSV(w, "teams.csv", rows)
}

package httpapi

import (
	"net/http"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

func (s *Server) listAgentProfiles(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.AgentProfiles(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (s *Server) getAgentProfile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.db.AgentProfile(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) createAgentProfile(w http.ResponseWriter, r *http.Request) error {
	var p staff.AgentProfile
	if err := decode(r, &p); err != nil {
		return err
	}
	p.ID = 0
	return s.saveAgentProfile(w, r, &p, http.StatusCreated)
}

func (s *Server) saveAgentProfile(w http.ResponseWriter, r *http.Request, p *staff.AgentProfile, status int) error {
	p.Description = strings.TrimSpace(p.Description)
	if p.AgentIDs == nil {
		p.AgentIDs = []int64{}
	}
	if p.Queues == nil {
		p.Queues = []staff.ProfileQueue{}
	}
	f := apperr.FieldErrors{}
	p.Validate(f)
	if err := f.Err(); err != nil {
		return err
	}
	saved, err := s.db.SaveAgentProfile(r.Context(), p, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	s.routingChanged(r, "agent_profile", saved.ID)
	writeJSON(w, status, saved)
	return nil
}

// patchAgentProfile changes a profile. Disabling one that agents are using
// needs "confirm": true — the admin is warned first, as in the reference;
// those agents keep it until they log out.
func (s *Server) patchAgentProfile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.db.AgentProfile(r.Context(), id)
	if err != nil {
		return err
	}
	var in struct {
		Name        *string               `json:"name"`
		Description *string               `json:"description"`
		Enabled     *bool                 `json:"enabled"`
		AgentIDs    *[]int64              `json:"agent_ids"`
		Queues      *[]staff.ProfileQueue `json:"queues"`
		Confirm     bool                  `json:"confirm"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Enabled != nil && !*in.Enabled && p.Enabled && p.InUse > 0 && !in.Confirm {
		return apperr.New(apperr.Conflict, "agent_profile.disable_in_use", p.InUse)
	}
	if in.Name != nil {
		p.Name = *in.Name
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.Enabled != nil {
		p.Enabled = *in.Enabled
	}
	if in.AgentIDs != nil {
		p.AgentIDs = *in.AgentIDs
	}
	if in.Queues != nil {
		p.Queues = *in.Queues
	}
	return s.saveAgentProfile(w, r, p, http.StatusOK)
}

func (s *Server) deleteAgentProfile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeleteAgentProfile(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listPauseReasons(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.PauseReasons(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (s *Server) createPauseReason(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	f := apperr.FieldErrors{}
	if in.Name == "" {
		f.Add("name", "field.required")
	} else if len(in.Name) > 100 {
		f.Add("name", "field.too_long", 100)
	}
	if len(in.Description) > 1000 {
		f.Add("description", "field.too_long", 1000)
	}
	if err := f.Err(); err != nil {
		return err
	}
	p, err := s.db.CreatePauseReason(r.Context(), in.Name, in.Description, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) deletePauseReason(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeletePauseReason(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

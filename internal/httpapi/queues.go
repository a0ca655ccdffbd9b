package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// profileQueues is the set of queues a scoped caller may see, nil for all.
func (s *Server) profileQueues(r *http.Request) (map[int64]bool, error) {
	c := callerFrom(r.Context())
	if !c.Scoped() {
		return nil, nil
	}
	allowed := map[int64]bool{}
	if c.ProfileID != nil {
		p, err := s.db.UserProfile(r.Context(), *c.ProfileID)
		if err != nil {
			return nil, err
		}
		for _, id := range p.QueueIDs {
			allowed[id] = true
		}
	}
	return allowed, nil
}

func (s *Server) listQueues(w http.ResponseWriter, r *http.Request) error {
	ch := staff.Channel(r.URL.Query().Get("channel"))
	if ch != "" && !staff.ValidQueueChannel(ch) {
		return apperr.Field("channel", "channel.invalid")
	}
	list, err := s.db.Queues(r.Context(), ch)
	if err != nil {
		return err
	}
	// A user sees only the queues his profile enables.
	allowed, err := s.profileQueues(r)
	if err != nil {
		return err
	}
	if allowed != nil {
		kept := list[:0]
		for _, q := range list {
			if allowed[q.ID] {
				kept = append(kept, q)
			}
		}
		list = kept
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

// queueFor loads a queue the caller may see.
func (s *Server) queueFor(r *http.Request) (*staff.Queue, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	allowed, err := s.profileQueues(r)
	if err != nil {
		return nil, err
	}
	if allowed != nil && !allowed[id] {
		return nil, apperr.New(apperr.Forbidden, "scope.queue")
	}
	return s.db.Queue(r.Context(), id)
}

func (s *Server) createQueue(w http.ResponseWriter, r *http.Request) error {
	var q staff.Queue
	if err := decode(r, &q); err != nil {
		return err
	}
	q.ID = 0
	staff.DefaultQueue(&q)
	f := apperr.FieldErrors{}
	q.Validate(f)
	s.checkMoveTarget(r, &q, f)
	if err := f.Err(); err != nil {
		return err
	}
	created, err := s.db.CreateQueue(r.Context(), &q, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	s.routingChanged(r, "queue", created.ID)
	writeJSON(w, http.StatusCreated, created)
	return nil
}

func (s *Server) getQueue(w http.ResponseWriter, r *http.Request) error {
	q, err := s.queueFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q)
	return nil
}

// patchQueue changes some settings; the channel of a queue never changes.
func (s *Server) patchQueue(w http.ResponseWriter, r *http.Request) error {
	var raw map[string]json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	q, err := s.queueFor(r)
	if err != nil {
		return err
	}
	id, before := q.ID, q.Channel
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, q); err != nil {
		return apperr.New(apperr.Invalid, "error.bad_json")
	}
	q.ID = id // the path names the queue, never the body
	f := apperr.FieldErrors{}
	if q.Channel != before {
		f.Add("channel", "queue.channel_fixed")
	}
	q.Validate(f)
	s.checkMoveTarget(r, q, f)
	if err := f.Err(); err != nil {
		return err
	}
	updated, err := s.db.UpdateQueue(r.Context(), q, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	s.routingChanged(r, "queue", q.ID)
	writeJSON(w, http.StatusOK, updated)
	return nil
}

func (s *Server) deleteQueue(w http.ResponseWriter, r *http.Request) error {
	q, err := s.queueFor(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteQueue(r.Context(), q.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	s.routingChanged(r, "queues", q.ID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// putQueueMember adds an agent to a queue at run time (a supervisor's move);
// deleteQueueMember takes him out. Both take effect in routing at once.
func (s *Server) putQueueMember(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Penalty int `json:"penalty"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	if in.Penalty < 0 || in.Penalty > 100 {
		return apperr.Field("penalty", "number.range", 0, 100)
	}
	return s.setQueueMember(w, r, true, in.Penalty)
}

func (s *Server) deleteQueueMember(w http.ResponseWriter, r *http.Request) error {
	return s.setQueueMember(w, r, false, 0)
}

func (s *Server) setQueueMember(w http.ResponseWriter, r *http.Request, member bool, penalty int) error {
	q, err := s.queueFor(r)
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
	if err := s.db.SetQueueMember(r.Context(), q.ID, agentID, member, penalty, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	s.routingChanged(r, "agent", agentID)
	q, err = s.db.Queue(r.Context(), q.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q)
	return nil
}

// routingChanged tells the routing engine that configuration it depends on
// changed (a queue, an agent's queues), so it applies at once.
func (s *Server) routingChanged(r *http.Request, kind string, id int64) {
	if s.onRoutingChange != nil {
		s.onRoutingChange(r.Context(), kind, id)
	}
}

// checkMoveTarget: the queue that overdue interactions move to must exist
// and serve the same channel.
func (s *Server) checkMoveTarget(r *http.Request, q *staff.Queue, f apperr.FieldErrors) {
	if q.MaxWaitAction != staff.MoveToQueue || q.MaxWaitQueueID == nil {
		return
	}
	target, err := s.db.Queue(r.Context(), *q.MaxWaitQueueID)
	if err != nil {
		f.Add("max_wait_queue_id", "queue.unknown")
		return
	}
	if target.Channel != q.Channel {
		f.Add("max_wait_queue_id", "queue.channel_mismatch")
	}
}

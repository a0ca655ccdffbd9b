package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/acd"
	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/webchat"
)

// SetRouting connects the routing engine: presence, offers and live views
// go through it, and configuration changes reach it at once.
func (s *Server) SetRouting(e *acd.Engine) {
	s.acd = e
	s.works = e.Works
	s.hub.OnAway, s.hub.OnBack = e.Away, e.Back
	s.hub.QueueWorkers = e.QueueWorkers // desktops asked only about their queues' events
	s.onRoutingChange = func(ctx context.Context, kind string, id int64) {
		var err error
		switch kind {
		case "queue":
			err = e.RefreshQueue(ctx, id)
		case "queues":
			err = e.RefreshQueues(ctx)
		case "agent":
			err = e.RefreshAgent(ctx, id)
		default: // a team or a profile: anyone may be affected
			err = e.RefreshAll(ctx)
		}
		if err != nil {
			s.log.Error("routing refresh", "kind", kind, "id", id, "err", err)
		}
	}
}

// deskJSON is what the agent desktop needs to start.
type deskJSON struct {
	Presence     *store.Presence     `json:"presence"` // null when logged out
	Profiles     []staff.Ref         `json:"profiles"` // his enabled agent profiles (Personal is implicit)
	PauseReasons []staff.PauseReason `json:"pause_reasons"`
	Routing      acd.AgentView       `json:"routing"`
	// Queues names the queues he works now (his active queues).
	Queues []deskQueue `json:"queues"`
	// ServerTime is the server's clock when it answered: the desktop
	// learns its skew from it before any realtime event arrives.
	ServerTime time.Time `json:"server_time"`
}

type deskQueue struct {
	ID      int64         `json:"id"`
	Name    string        `json:"name"`
	Channel staff.Channel `json:"channel"`
	Penalty int           `json:"penalty"`
	Waiting int           `json:"waiting"`
}

func (s *Server) myDesk(w http.ResponseWriter, r *http.Request) error {
	return s.writeDesk(w, r, http.StatusOK)
}

func (s *Server) writeDesk(w http.ResponseWriter, r *http.Request, status int) error {
	id := callerFrom(r.Context()).ID()
	out := deskJSON{Routing: s.acd.Agent(id), ServerTime: s.clock.Now().UTC()}
	p, err := s.db.PresenceOf(r.Context(), id)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	out.Presence = p
	if out.Profiles, err = s.db.AgentProfilesOf(r.Context(), id); err != nil {
		return err
	}
	if out.PauseReasons, err = s.db.PauseReasons(r.Context()); err != nil {
		return err
	}
	out.Queues = []deskQueue{}
	if len(out.Routing.ActiveQueues) > 0 {
		all, err := s.db.Queues(r.Context(), "")
		if err != nil {
			return err
		}
		for _, q := range all {
			if pen, ok := out.Routing.ActiveQueues[q.ID]; ok {
				out.Queues = append(out.Queues, deskQueue{ID: q.ID, Name: q.Name, Channel: q.Channel, Penalty: pen,
					Waiting: len(s.acd.Queue(q.ID).Waiting)})
			}
		}
	}
	writeJSON(w, status, out)
	return nil
}

// transferTargets lists who an agent can transfer an interaction to: the
// colleagues logged in and not away, and the queues of its channel.
func (s *Server) transferTargets(w http.ResponseWriter, r *http.Request) error {
	id, err := queryInt(r, "interaction_id", 0, 1, 1<<62)
	if err != nil {
		return err
	}
	if id == 0 {
		return apperr.Field("interaction_id", "field.required")
	}
	me := callerFrom(r.Context()).ID()
	it, err := s.db.Interaction(r.Context(), int64(id))
	if err != nil {
		return err
	}
	if it.OwnerID == nil || *it.OwnerID != me {
		return apperr.New(apperr.Forbidden, "interaction.not_owner")
	}
	type agentRef struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
		FullName string `json:"full_name"`
		Paused   bool   `json:"paused"`
	}
	agents := []agentRef{}
	for _, a := range s.acd.LoggedIn() {
		v := s.acd.Agent(a)
		if a == me || v.Away {
			continue
		}
		p, err := s.db.Principal(r.Context(), a)
		if err != nil {
			return err
		}
		agents = append(agents, agentRef{ID: a, Username: p.Username, FullName: p.FullName, Paused: v.Paused})
	}
	queues, err := s.db.Queues(r.Context(), staff.Channel(it.Channel))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"agents": agents, "queues": queues})
	return nil
}

type profileBody struct {
	ProfileID *int64 `json:"profile_id"` // null: the Personal profile
}

func (s *Server) myLogin(w http.ResponseWriter, r *http.Request) error {
	var in profileBody
	if err := decode(r, &in); err != nil {
		return err
	}
	if _, err := s.acd.Login(r.Context(), callerFrom(r.Context()).ID(), in.ProfileID); err != nil {
		return err
	}
	return s.writeDesk(w, r, http.StatusOK)
}

func (s *Server) myProfile(w http.ResponseWriter, r *http.Request) error {
	var in profileBody
	if err := decode(r, &in); err != nil {
		return err
	}
	if _, err := s.acd.ChangeProfile(r.Context(), callerFrom(r.Context()).ID(), in.ProfileID); err != nil {
		return err
	}
	return s.writeDesk(w, r, http.StatusOK)
}

func (s *Server) myLogout(w http.ResponseWriter, r *http.Request) error {
	id := callerFrom(r.Context()).ID()
	if err := s.acd.Logout(r.Context(), id, id); err != nil {
		return err
	}
	return s.writeDesk(w, r, http.StatusOK)
}

type pauseBody struct {
	ReasonID *int64 `json:"reason_id"` // null: the default pause
}

func (s *Server) myPause(w http.ResponseWriter, r *http.Request) error {
	var in pauseBody
	if err := decode(r, &in); err != nil {
		return err
	}
	id := callerFrom(r.Context()).ID()
	if _, err := s.acd.Pause(r.Context(), id, in.ReasonID, id); err != nil {
		return err
	}
	return s.writeDesk(w, r, http.StatusOK)
}

func (s *Server) myResume(w http.ResponseWriter, r *http.Request) error {
	id := callerFrom(r.Context()).ID()
	if _, err := s.acd.Resume(r.Context(), id, id); err != nil {
		return err
	}
	return s.writeDesk(w, r, http.StatusOK)
}

// supervised loads an agent a supervisor may act on live.
func (s *Server) supervised(r *http.Request) (int64, error) {
	a, err := s.agentFor(r)
	if err != nil {
		return 0, err
	}
	return a.ID, nil
}

func (s *Server) pauseAgent(w http.ResponseWriter, r *http.Request) error {
	var in pauseBody
	if err := decode(r, &in); err != nil {
		return err
	}
	id, err := s.supervised(r)
	if err != nil {
		return err
	}
	p, err := s.acd.Pause(r.Context(), id, in.ReasonID, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) resumeAgent(w http.ResponseWriter, r *http.Request) error {
	id, err := s.supervised(r)
	if err != nil {
		return err
	}
	p, err := s.acd.Resume(r.Context(), id, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) logoutAgent(w http.ResponseWriter, r *http.Request) error {
	id, err := s.supervised(r)
	if err != nil {
		return err
	}
	if err := s.acd.Logout(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// liveAgentJSON is a logged-in agent on the supervisor's realtime screen.
type liveAgentJSON struct {
	store.Presence
	Username string        `json:"username"`
	FullName string        `json:"full_name"`
	Routing  acd.AgentView `json:"routing"`
}

func (s *Server) realtimeAgents(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Presences(r.Context())
	if err != nil {
		return err
	}
	c := callerFrom(r.Context())
	out := []liveAgentJSON{}
	for _, p := range list {
		if c.Scoped() {
			if c.ProfileID == nil {
				continue
			}
			if ok, err := s.db.AgentInScope(r.Context(), p.AgentID, *c.ProfileID); err != nil {
				return err
			} else if !ok {
				continue
			}
		}
		a, err := s.db.Principal(r.Context(), p.AgentID)
		if err != nil {
			return err
		}
		out = append(out, liveAgentJSON{Presence: *p, Username: a.Username, FullName: a.FullName, Routing: s.acd.Agent(p.AgentID)})
	}
	// server_time lets the supervisor console count its timers on the
	// server's clock, whatever the browser's says.
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "server_time": s.clock.Now().UTC()})
	return nil
}

func (s *Server) realtimeQueues(w http.ResponseWriter, r *http.Request) error {
	queues, err := s.db.Queues(r.Context(), "")
	if err != nil {
		return err
	}
	allowed, err := s.profileQueues(r)
	if err != nil {
		return err
	}
	type item struct {
		*staff.Queue
		Live acd.QueueView `json:"live"`
	}
	out := []item{}
	for _, q := range queues {
		if allowed != nil && !allowed[q.ID] {
			continue
		}
		out = append(out, item{Queue: q, Live: s.acd.Queue(q.ID)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "server_time": s.clock.Now().UTC()})
	return nil
}

// createInteraction puts an interaction into a queue from an integration
// (an API token), the way an open-channel entry point does.
func (s *Server) createInteraction(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		QueueID     int64  `json:"queue_id"`
		Subject     string `json:"subject"`
		AccountID   *int64 `json:"account_id"`
		ContactName string `json:"contact_name"`
		ContactKey  string `json:"contact_key"` // who the customer is within the account (a phone number, an email)
		Body        string `json:"body"`        // the customer's first message
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.QueueID == 0 && in.AccountID != nil { // the account's own queue
		if q, err := s.db.AccountQueue(r.Context(), *in.AccountID); err != nil {
			return err
		} else if q != nil {
			in.QueueID = *q
		}
	}
	if in.QueueID == 0 {
		return apperr.Field("queue_id", "field.required")
	}
	if len(in.Subject) > 500 {
		return apperr.Field("subject", "field.too_long", 500)
	}
	in.ContactName = strings.TrimSpace(in.ContactName)
	if utf8.RuneCountInString(in.ContactName) > 200 {
		return apperr.Field("contact_name", "field.too_long", 200)
	}
	in.ContactKey = strings.TrimSpace(in.ContactKey)
	if utf8.RuneCountInString(in.ContactKey) > 200 {
		return apperr.Field("contact_key", "field.too_long", 200)
	}
	if in.Body != "" {
		if err := checkBody(in.Body, maxMessageChars); err != nil {
			return err
		}
	}
	it, err := s.acd.CreateWith(r.Context(), store.NewInteraction{QueueID: in.QueueID, Subject: in.Subject,
		AccountID: in.AccountID, ContactName: in.ContactName, ContactKey: in.ContactKey, Body: in.Body,
		With: s.linkContact(in.ContactKey, in.ContactName, nil, nil)}, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, it)
	return nil
}

// interactionFor loads an interaction the caller may see (see
// interactionScope: the same rule as the interaction lists).
func (s *Server) interactionFor(r *http.Request) (*store.Interaction, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.visibleInteraction(r, id)
}

// visibleInteraction is interactionFor given the interaction's id (a file's
// interaction, say).
func (s *Server) visibleInteraction(r *http.Request, id int64) (*store.Interaction, error) {
	it, err := s.db.Interaction(r.Context(), id)
	if err != nil {
		return nil, err
	}
	scope, err := s.interactionScope(r)
	if err != nil {
		return nil, err
	}
	if !scope.Allows(it) {
		return nil, apperr.New(apperr.Forbidden, "interaction.not_yours")
	}
	return it, nil
}

// interactionJSON adds, for a waiting interaction, its place in the queue
// and the estimated wait.
type interactionJSON struct {
	*store.Interaction
	Position      *int     `json:"position,omitempty"` // 1 = next
	EstimatedWait *float64 `json:"estimated_wait_seconds,omitempty"`
	// The conversation, as the caller sees it (see interactionView).
	Tags        []store.TagRef `json:"tags"`
	SubStatus   *store.Ref     `json:"sub_status"`
	Disposition *store.Ref     `json:"disposition"`
	Unread      int            `json:"unread"`   // messages after the caller's read mark
	Watching    []store.Ref    `json:"watching"` // who has it on screen now
	// Form is what the customer filled in the website's form when he
	// started a chat (name → {label, value}); null for other interactions.
	Form webchat.Answers `json:"form"`
	// Contact is the Contact Manager's contact of the interaction (null
	// when it has none).
	Contact *contacts.Ref `json:"contact"`
	// WindowExpiresAt is when WhatsApp's customer service window closes
	// (null: closed; absent for other channels): only templates after it.
	WindowExpiresAt *time.Time `json:"window_expires_at,omitempty"`
}

func (s *Server) getInteraction(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	out, err := s.interactionView(r.Context(), it)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) acceptInteraction(w http.ResponseWriter, r *http.Request) error {
	return s.agentAction(w, r, func(ctx context.Context, it, agent int64) error { return s.acd.Accept(ctx, it, agent) })
}

func (s *Server) rejectInteraction(w http.ResponseWriter, r *http.Request) error {
	return s.agentAction(w, r, func(ctx context.Context, it, agent int64) error { return s.acd.Reject(ctx, it, agent) })
}

func (s *Server) agentAction(w http.ResponseWriter, r *http.Request, act func(ctx context.Context, it, agent int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := act(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	it, err := s.db.Interaction(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (s *Server) transferInteraction(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		AgentID int64 `json:"agent_id"`
		QueueID int64 `json:"queue_id"`
		Timeout int   `json:"timeout"` // seconds; 0: 300
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Timeout < 0 || in.Timeout > 3600 {
		return apperr.Field("timeout", "number.range", 0, 3600)
	}
	return s.agentAction(w, r, func(ctx context.Context, it, agent int64) error {
		return s.acd.Transfer(ctx, it, agent, in.AgentID, in.QueueID, time.Duration(in.Timeout)*time.Second)
	})
}

func (s *Server) memberReport(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	rows, err := s.db.ReportMember(r.Context(), a.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": rows})
	return nil
}

// myInteractions lists the open interactions the agent owns, for his
// desktop's tabs: each with its unread count, tags, sub-status and account.
func (s *Server) myInteractions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.OpenItems(r.Context(), callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/realtime"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// wsMessage is what the server sends on the realtime socket.
type wsMessage struct {
	Type        string          `json:"type"` // hello, event, reset
	ID          int64           `json:"id,omitempty"`
	Event       eventlog.Type   `json:"event,omitempty"`
	At          *time.Time      `json:"at,omitempty"`
	Data        json.RawMessage `json:"data,omitempty"`
	SubjectType string          `json:"subject_type,omitempty"` // what the event is about: agent, interaction…
	SubjectID   *int64          `json:"subject_id,omitempty"`
	LastEventID int64           `json:"last_event_id,omitempty"`
}

// maxBacklog bounds a resumption; further behind, the client reloads.
const maxBacklog = 5000

// heartbeat is how often the server pings each socket.
const heartbeat = 20 * time.Second

// viewer describes what a caller may watch live.
func (s *Server) viewer(ctx context.Context, c *Caller) (*realtime.Viewer, error) {
	v := &realtime.Viewer{PrincipalID: c.ID()}
	switch c.Principal.Kind {
	case auth.KindAdmin:
		v.Everything = true
	case auth.KindUser:
		if c.Rights.Has(staff.SectionRealtime, staff.View) && c.ProfileID != nil {
			p, err := s.db.UserProfile(ctx, *c.ProfileID)
			if err != nil {
				return nil, err
			}
			allowed := map[int64]bool{}
			for _, q := range p.QueueIDs {
				allowed[q] = true
			}
			v.Supervises = func(q int64) bool { return allowed[q] }
			v.SupervisesAgent = s.agentScopeCache(*c.ProfileID)
		}
	case auth.KindAgent:
		id := c.ID()
		v.Works = func(q int64) bool { return s.works != nil && s.works(id, q) }
	}
	return v, nil
}

// realtimeSocket streams the events the caller may see. ?after=ID resumes
// after the last event the client received; without it the stream starts now.
func (s *Server) realtimeSocket(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	after, err := queryInt(r, "after", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	v, err := s.viewer(r.Context(), c)
	if err != nil {
		return err
	}
	conn, err := websocket.Accept(w, r, nil) // refuses a foreign Origin
	if err != nil {
		return nil // Accept has answered
	}
	defer conn.CloseNow()
	sub := s.hub.Subscribe(v)
	defer s.hub.Unsubscribe(sub)

	ctx := conn.CloseRead(s.socketsCtx(r.Context()))
	send := func(m wsMessage) error {
		b, _ := json.Marshal(m)
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return conn.Write(wctx, websocket.MessageText, b)
	}
	last, err := s.db.LastEventID(ctx)
	if err != nil {
		return nil
	}
	if err := send(wsMessage{Type: "hello", LastEventID: last}); err != nil {
		return nil
	}
	sent := int64(after)
	if after > 0 {
		backlog, err := s.db.Events(ctx, eventlog.Filter{AfterID: int64(after), Limit: maxBacklog + 1})
		if err != nil {
			return nil
		}
		if len(backlog) > maxBacklog {
			_ = send(wsMessage{Type: "reset", LastEventID: last})
			sent = last
		} else {
			for _, ev := range backlog {
				if v.Sees(realtime.AudienceOf(ev)) {
					if send(eventMessage(ev, c.Mask)) != nil {
						return nil
					}
				}
				sent = ev.ID
			}
		}
	} else {
		sent = last
	}
	ping := time.NewTicker(heartbeat)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusGoingAway, "server shutting down")
			return nil
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, heartbeat)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return nil
			}
		case ev, ok := <-sub.C:
			if !ok { // fell behind: the client reconnects and resumes
				s.log.Warn("realtime: a desktop fell behind its buffer; closed for it to resume", "buffer", realtime.SubscriberBuffer)
				conn.Close(websocket.StatusTryAgainLater, "too slow, resume")
				return nil
			}
			if ev.ID <= sent {
				continue // already sent from the backlog
			}
			if send(eventMessage(*ev, c.Mask)) != nil {
				return nil
			}
			sent = ev.ID
		}
	}
}

// eventMessage is an event as the socket sends it; for a caller whose
// answers are masked, its data is masked too.
func eventMessage(ev eventlog.Event, m *contacts.Masker) wsMessage {
	at := ev.At
	data := ev.Data
	if m != nil {
		data = m.ApplyJSON(data)
	}
	return wsMessage{Type: "event", ID: ev.ID, Event: ev.Type, At: &at, Data: data, SubjectType: ev.SubjectType,
		SubjectID: ev.SubjectID}
}

// socketsCtx ends when the request's context does or the server closes its
// sockets for shutdown.
func (s *Server) socketsCtx(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		select {
		case <-s.closing:
		case <-ctx.Done():
		}
		cancel()
	}()
	return ctx
}

// CloseSockets tells every realtime socket to close (graceful shutdown).
func (s *Server) CloseSockets() {
	s.closeOnce.Do(func() { close(s.closing) })
}

// Hub is the realtime hub, for wiring committed events into it.
func (s *Server) Hub() *realtime.Hub { return s.hub }

// agentScopeCache answers "may this supervisor watch this agent" from a set
// of agent ids reloaded at most once a minute: the hub asks for every event,
// and team or queue changes may move agents in and out of scope meanwhile.
func (s *Server) agentScopeCache(profileID int64) func(int64) bool {
	var mu sync.Mutex
	var ids map[int64]bool
	var loaded time.Time
	return func(agentID int64) bool {
		mu.Lock()
		defer mu.Unlock()
		if ids == nil || s.clock.Now().Sub(loaded) > time.Minute {
			list, err := s.db.AgentIDsInScope(context.Background(), profileID)
			if err != nil {
				s.log.Error("realtime scope", "err", err)
				return false
			}
			ids, loaded = map[int64]bool{}, s.clock.Now()
			for _, id := range list {
				ids[id] = true
			}
		}
		return ids[agentID]
	}
}

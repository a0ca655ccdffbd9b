package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// The chat-steady scenario: customers open chats on the widget at a steady
// rate and write to the agent who takes them; agents on their desktop
// sockets accept the offers (ring-all: the agents of a queue race, and the
// losers' conflicts are counted apart from errors) and answer every
// message. Every latency is measured from the frames on the sockets, in
// this one process, so both ends read the same clock:
//
//   - customer send (the widget's message frame written) → the message
//     event on the owning agent's socket;
//   - new chat (POST /widget/chats sent) → the first offer event on an
//     agent's socket;
//   - accept (POST /interactions/{id}/accept sent) → the assignment event
//     on the accepting agent's socket;
//   - agent send (POST /interactions/{id}/messages sent) → the message
//     frame on the customer's socket.
//
// Message bodies carry a sequence number ("c:17" from a customer, "a:17"
// the agent's answer to it), so each arrival is matched to its send, and a
// message acknowledged but never received (lost) or received twice
// (duplicated) is found.

// chatPlan is the shape of a chat-steady run.
type chatPlan struct {
	duration     time.Duration // how long new chats start and customers write
	grace        time.Duration // then how long in-flight messages may still arrive
	rate         float64       // new chats per second
	perChat      int           // messages each customer writes
	interval     time.Duration // between a customer's messages
	acceptDelay  time.Duration // an agent accepts an offer after a random wait up to this
	steadyAfter  time.Duration // the message rate is steady from then on (ramp-up)
	replyByLimit time.Duration // agents stop answering this long after the drive ends
}

// msgTrack follows one message from its send to its arrival.
type msgTrack struct {
	sentAt   time.Time
	acked    bool // the server stored it (the widget's echo, or the API's 201)
	received int  // arrivals on the other side's socket
}

// chatTrack follows one chat.
type chatTrack struct {
	startSent  time.Time // POST /widget/chats written (zero until it answered)
	firstOffer time.Time
	owner      int64
}

// chatRun is the state of one chat-steady run, shared by every customer
// and desk.
type chatRun struct {
	plan    chatPlan
	base    string
	hc      *http.Client
	started time.Time

	mu        sync.Mutex
	chats     map[int64]*chatTrack
	custMsgs  map[int64]*msgTrack
	agentMsgs map[int64]*msgTrack

	seq atomic.Int64

	custToAgent, agentToCust, acceptToAssigned Samples
	errs                                       *Errors

	chatsStarted, chatsAssigned, chatsClosed      atomic.Int64
	startsPending, startsSkipped                  atomic.Int64
	acceptsSent, acceptConflicts, offersWithdrawn atomic.Int64
	deskFrames, widgetFrames                      atomic.Int64
	steadyCustSends                               atomic.Int64
}

func newChatRun(plan chatPlan, base string, hc *http.Client, errs *Errors) *chatRun {
	return &chatRun{plan: plan, base: base, hc: hc, errs: errs, chats: map[int64]*chatTrack{}, custMsgs: map[int64]*msgTrack{},
		agentMsgs: map[int64]*msgTrack{}}
}

// chat returns a chat's track, creating it (an offer may arrive before
// the answer that names the chat).
func (r *chatRun) chat(id int64) *chatTrack {
	c := r.chats[id]
	if c == nil {
		c = &chatTrack{}
		r.chats[id] = c
	}
	return c
}

func (r *chatRun) chatStarted(id int64, sentAt time.Time) {
	r.chatsStarted.Add(1)
	r.mu.Lock()
	r.chat(id).startSent = sentAt
	r.mu.Unlock()
}

func (r *chatRun) offerSeen(id int64, at time.Time) {
	r.mu.Lock()
	if c := r.chat(id); c.firstOffer.IsZero() {
		c.firstOffer = at
	}
	r.mu.Unlock()
}

func (r *chatRun) assigned(id, agent int64) {
	r.chatsAssigned.Add(1)
	r.mu.Lock()
	r.chat(id).owner = agent
	r.mu.Unlock()
}

// sending records a message about to be written; customer messages and
// agent answers have a table each.
func (r *chatRun) sending(table map[int64]*msgTrack, seq int64, at time.Time) {
	r.mu.Lock()
	table[seq] = &msgTrack{sentAt: at}
	r.mu.Unlock()
}

func (r *chatRun) acked(table map[int64]*msgTrack, seq int64) {
	r.mu.Lock()
	if m := table[seq]; m != nil {
		m.acked = true
	}
	r.mu.Unlock()
}

// arrived records a message's arrival; it reports whether it is the first
// (a second one is a duplicate) and adds the latency of the first.
func (r *chatRun) arrived(table map[int64]*msgTrack, seq int64, at time.Time, lat *Samples) bool {
	r.mu.Lock()
	m := table[seq]
	if m == nil {
		r.mu.Unlock()
		r.errs.Add("unknown message received")
		return false
	}
	m.received++
	first, sent := m.received == 1, m.sentAt
	r.mu.Unlock()
	if first {
		lat.Add(at.Sub(sent))
	}
	return first
}

// tag is a message body: a side ('c' customer, 'a' agent) and a sequence.
func tag(side byte, seq int64) string { return string(side) + ":" + strconv.FormatInt(seq, 10) }

func parseTag(body string, side byte) (int64, bool) {
	if len(body) < 3 || body[0] != side || body[1] != ':' {
		return 0, false
	}
	n, err := strconv.ParseInt(body[2:], 10, 64)
	return n, err == nil
}

// ---- the agent's desktop

// desk is one agent's desktop: its socket, and the offers it will accept.
type desk struct {
	run  *chatRun
	a    *benchAgent
	conn *websocket.Conn

	mu         sync.Mutex
	pending    map[int64]*time.Timer // offers waiting for the agent's click
	acceptSent map[int64]time.Time
}

// deskFrame is what a desk reads of a realtime socket frame.
type deskFrame struct {
	Type  string          `json:"type"`
	Event string          `json:"event"`
	Data  json.RawMessage `json:"data"`
}

type deskData struct {
	InteractionID int64  `json:"interaction_id"`
	AgentID       *int64 `json:"agent_id"`
	Message       *struct {
		Direction string `json:"direction"`
		Body      string `json:"body"`
	} `json:"message"`
}

// openDesk opens an agent's desktop socket and reads its hello.
func openDesk(ctx context.Context, a *benchAgent) (*websocket.Conn, error) {
	conn, err := a.s.dialSocket(ctx)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, _, err := conn.Read(rctx); err != nil { // hello
		conn.CloseNow()
		return nil, err
	}
	return conn, nil
}

// read handles the desk's frames until the socket ends.
func (d *desk) read(ctx context.Context, replyBy time.Time) {
	for {
		_, b, err := d.conn.Read(ctx)
		if err != nil {
			if ctx.Err() == nil {
				d.run.errs.Add("agent socket closed: " + websocket.CloseStatus(err).String())
			}
			return
		}
		now := time.Now()
		d.run.deskFrames.Add(1)
		var f deskFrame
		if json.Unmarshal(b, &f) != nil || f.Type != "event" {
			continue
		}
		switch f.Event {
		case "interaction.offered", "interaction.offer_ended", "interaction.assigned", "message.received":
		default:
			continue
		}
		var ev deskData
		if json.Unmarshal(f.Data, &ev) != nil || ev.AgentID == nil || *ev.AgentID != d.a.ID {
			continue // about a queue mate
		}
		switch f.Event {
		case "interaction.offered":
			d.run.offerSeen(ev.InteractionID, now)
			d.offered(ctx, ev.InteractionID)
		case "interaction.offer_ended":
			d.mu.Lock()
			if t := d.pending[ev.InteractionID]; t != nil && t.Stop() {
				d.run.offersWithdrawn.Add(1)
			}
			delete(d.pending, ev.InteractionID)
			d.mu.Unlock()
		case "interaction.assigned":
			d.mu.Lock()
			sent, ok := d.acceptSent[ev.InteractionID]
			delete(d.acceptSent, ev.InteractionID)
			d.mu.Unlock()
			if ok {
				d.run.acceptToAssigned.Add(now.Sub(sent))
			}
			d.run.assigned(ev.InteractionID, d.a.ID)
		case "message.received":
			if ev.Message == nil || ev.Message.Direction != "in" {
				continue
			}
			seq, ok := parseTag(ev.Message.Body, 'c')
			if !ok {
				continue
			}
			if d.run.arrived(d.run.custMsgs, seq, now, &d.run.custToAgent) && now.Before(replyBy) {
				go d.reply(ctx, ev.InteractionID, seq)
			}
		}
	}
}

// offered schedules the agent's accept after a random think time; an
// offer that ends meanwhile (another agent took it) is not clicked.
func (d *desk) offered(ctx context.Context, id int64) {
	wait := time.Duration(0)
	if d.run.plan.acceptDelay > 0 {
		wait = rand.N(d.run.plan.acceptDelay)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending[id] != nil {
		return
	}
	d.pending[id] = time.AfterFunc(wait, func() { d.accept(ctx, id) })
}

func (d *desk) accept(ctx context.Context, id int64) {
	d.mu.Lock()
	if d.pending[id] == nil {
		d.mu.Unlock()
		return
	}
	delete(d.pending, id)
	d.acceptSent[id] = time.Now()
	d.mu.Unlock()
	d.run.acceptsSent.Add(1)
	err := d.a.s.call(ctx, "POST", "/api/v1/interactions/"+strconv.FormatInt(id, 10)+"/accept", nil, nil)
	if err == nil {
		return
	}
	d.mu.Lock()
	delete(d.acceptSent, id)
	d.mu.Unlock()
	if isConflict(err) {
		d.run.acceptConflicts.Add(1)
		return
	}
	if ctx.Err() == nil {
		d.run.errs.Add(errorKind("accept", err))
	}
}

// reply answers a customer's message at once.
func (d *desk) reply(ctx context.Context, id, seq int64) {
	d.run.sending(d.run.agentMsgs, seq, time.Now())
	err := d.a.s.call(ctx, "POST", "/api/v1/interactions/"+strconv.FormatInt(id, 10)+"/messages",
		map[string]string{"body": tag('a', seq)}, nil)
	if err != nil {
		if ctx.Err() == nil {
			d.run.errs.Add(errorKind("agent message", err))
		}
		return
	}
	d.run.acked(d.run.agentMsgs, seq)
}

// ---- the customer's widget

// widgetFrame is what a customer reads of a widget socket frame.
type widgetFrame struct {
	Type      string  `json:"type"`
	ID        int64   `json:"id"`
	Direction string  `json:"direction"`
	Body      string  `json:"body"`
	ClientID  *string `json:"client_id"`
	Code      string  `json:"code"`
}

// customer is one chat from the widget's side, from the form to the end.
func (r *chatRun) customer(drive, run context.Context, n int, w website) {
	q := url.Values{"key": {w.Key}}
	h := http.Header{"Origin": {benchOrigin}}
	sentAt := time.Now()
	var started struct {
		Token         string `json:"token"`
		InteractionID int64  `json:"interaction_id"`
	}
	_, err := doJSON(run, r.hc, "POST", r.base+"/api/v1/widget/chats?"+q.Encode(), h, map[string]any{
		"fields": map[string]string{"name": "Customer " + strconv.Itoa(n), "email": "c" + strconv.Itoa(n) + "@bench.example"},
	}, &started)
	r.startsPending.Add(-1)
	if err != nil {
		if run.Err() == nil {
			r.errs.Add(errorKind("chat start", err))
		}
		return
	}
	r.chatStarted(started.InteractionID, sentAt)
	q.Set("token", started.Token)
	q.Set("after", "0")
	conn, err := dial(run, r.hc, r.base+"/api/v1/widget/ws?"+q.Encode(), h)
	if err != nil {
		if run.Err() == nil {
			r.errs.Add(errorKind("widget socket", err))
		}
		return
	}
	defer conn.CloseNow()

	joined := make(chan struct{})
	answered := make(chan struct{}, r.plan.perChat)
	closed := make(chan struct{})
	go r.readWidget(run, conn, joined, answered, closed)

	select {
	case <-joined:
	case <-closed:
		return
	case <-run.Done():
		return
	}
	t := time.NewTicker(r.plan.interval)
	defer t.Stop()
	sent := 0
	for sent < r.plan.perChat && drive.Err() == nil {
		seq := r.seq.Add(1)
		now := time.Now()
		r.sending(r.custMsgs, seq, now)
		if now.Sub(r.started) >= r.plan.steadyAfter {
			r.steadyCustSends.Add(1)
		}
		frame, _ := json.Marshal(map[string]string{"type": "message", "client_id": "m" + strconv.FormatInt(seq, 10),
			"body": tag('c', seq)})
		if err := conn.Write(run, websocket.MessageText, frame); err != nil {
			if run.Err() == nil {
				r.errs.Add("customer message write")
			}
			return
		}
		sent++
		if sent == r.plan.perChat {
			break
		}
		select {
		case <-t.C:
		case <-drive.Done():
		case <-closed:
			return
		}
	}
	// Wait for the answers, then leave the chat as the widget's "end chat".
	for range sent {
		select {
		case <-answered:
		case <-closed:
			return
		case <-run.Done():
			return
		}
	}
	if err := conn.Write(run, websocket.MessageText, []byte(`{"type":"close"}`)); err != nil {
		return
	}
	select {
	case <-closed:
		r.chatsClosed.Add(1)
	case <-run.Done():
	}
}

// readWidget handles a customer's frames: the agent joining, the echo of
// his own messages (stored: acknowledged), the agent's answers (reported
// delivered and read, as the open widget does), the end of the chat.
func (r *chatRun) readWidget(ctx context.Context, conn *websocket.Conn, joined, answered, closed chan struct{}) {
	defer close(closed)
	once := sync.Once{}
	for {
		_, b, err := conn.Read(ctx)
		if err != nil {
			return
		}
		now := time.Now()
		r.widgetFrames.Add(1)
		var f widgetFrame
		if json.Unmarshal(b, &f) != nil {
			continue
		}
		switch f.Type {
		case "agent_joined":
			once.Do(func() { close(joined) })
		case "message":
			if f.Direction == "in" {
				if seq, ok := parseTag(f.Body, 'c'); ok && f.ClientID != nil {
					r.acked(r.custMsgs, seq)
				}
				continue
			}
			seq, ok := parseTag(f.Body, 'a')
			if !ok {
				continue
			}
			if r.arrived(r.agentMsgs, seq, now, &r.agentToCust) {
				select {
				case answered <- struct{}{}:
				default:
				}
			}
			for _, kind := range []string{"delivered", "read"} {
				report := `{"type":"` + kind + `","up_to":` + strconv.FormatInt(f.ID, 10) + `}`
				if conn.Write(ctx, websocket.MessageText, []byte(report)) != nil {
					return
				}
			}
		case "closed":
			return
		case "error":
			r.errs.Add("widget error frame " + f.Code)
		}
	}
}

// ---- the results

// chatCounts reads the message tables once the run is over.
func (r *chatRun) messageCounts(table map[int64]*msgTrack) MessageCounts {
	r.mu.Lock()
	defer r.mu.Unlock()
	var c MessageCounts
	for _, m := range table {
		c.Sent++
		if m.acked {
			c.Acked++
		}
		if m.received > 0 {
			c.Received++
		}
		if m.received > 1 {
			c.Duplicates += int64(m.received - 1)
		}
		switch {
		case m.acked && m.received == 0:
			c.Lost++
		case !m.acked && m.received == 0:
			c.Unacked++
		}
	}
	return c
}

// offerLatency is new chat → first offer, for chats with both.
func (r *chatRun) offerLatency() Latency {
	r.mu.Lock()
	var d []time.Duration
	for _, c := range r.chats {
		if !c.startSent.IsZero() && !c.firstOffer.IsZero() {
			d = append(d, c.firstOffer.Sub(c.startSent))
		}
	}
	r.mu.Unlock()
	return summarize(d)
}

func (r *chatRun) result(elapsed time.Duration) *ChatResult {
	secs := elapsed.Seconds()
	steady := (r.plan.duration - r.plan.steadyAfter).Seconds()
	res := &ChatResult{
		CustomerToAgent: r.custToAgent.Summary(), AgentToCustomer: r.agentToCust.Summary(),
		ChatToOffer: r.offerLatency(), AcceptToAssigned: r.acceptToAssigned.Summary(),
		ChatsStarted: r.chatsStarted.Load(), ChatsSkipped: r.startsSkipped.Load(), ChatsAssigned: r.chatsAssigned.Load(),
		ChatsClosed: r.chatsClosed.Load(),
		AcceptsSent: r.acceptsSent.Load(), AcceptConflicts: r.acceptConflicts.Load(),
		OffersWithdrawn:  r.offersWithdrawn.Load(),
		CustomerMessages: r.messageCounts(r.custMsgs), AgentMessages: r.messageCounts(r.agentMsgs),
		DeskFrames: r.deskFrames.Load(), WidgetFrames: r.widgetFrames.Load(),
	}
	res.CustomerToAgent.Target, res.ChatToOffer.Target = 10, 20
	if secs > 0 {
		res.ChatsPerSecond = round1(float64(res.ChatsStarted) / secs)
		res.CustomerMessagesPerSecond = round1(float64(res.CustomerMessages.Sent) / secs)
		res.AgentMessagesPerSecond = round1(float64(res.AgentMessages.Sent) / secs)
	}
	if steady > 0 {
		res.SteadyCustomerMessagesPerSecond = round1(float64(r.steadyCustSends.Load()) / steady)
	}
	return res
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

// planChat derives the per-chat pacing from the rates: each customer
// writes messages-rate / rate messages over the chat length, so the
// customers together write messages-rate per second once the first chats
// are that old.
func planChat(o Options) (chatPlan, error) {
	if o.Rate <= 0 || o.MessagesRate < 0 {
		return chatPlan{}, fmt.Errorf("--rate must be above 0 and --messages-rate at least 0")
	}
	perChat := max(1, int(o.MessagesRate/o.Rate+0.5))
	interval := o.ChatLength / time.Duration(perChat)
	if interval <= 0 {
		interval = time.Millisecond
	}
	steady := min(o.ChatLength+time.Second, o.Duration/2)
	return chatPlan{duration: o.Duration, grace: o.Grace, rate: o.Rate, perChat: perChat, interval: interval,
		acceptDelay: o.AcceptDelay, steadyAfter: steady, replyByLimit: o.Grace / 2}, nil
}

// driveChats starts customers at the plan's rate until drive ends,
// spreading them over the websites in turn.
func (r *chatRun) driveChats(drive, run context.Context, sites []website, wg *sync.WaitGroup) {
	every := time.Duration(float64(time.Second) / r.plan.rate)
	for n := 0; ; n++ {
		at := r.started.Add(time.Duration(n) * every)
		if wait := time.Until(at); wait > 0 {
			select {
			case <-time.After(wait):
			case <-drive.Done():
				return
			}
		}
		if drive.Err() != nil {
			return
		}
		// A server that has fallen far behind is not sent ever more
		// customers at once: each waiting one holds a connection, and
		// thousands of them would exhaust the server's file descriptors
		// rather than show its throughput. The skipped ones are counted.
		if r.startsPending.Load() >= r.maxPendingStarts() {
			r.startsSkipped.Add(1)
			continue
		}
		r.startsPending.Add(1)
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			r.customer(drive, run, n+1, sites[n%len(sites)])
		}(n)
	}
}

// backlogSeconds is how many seconds' worth of new chats may wait at once
// for the server's answer (at least 100 chats).
const backlogSeconds = 5

func (r *chatRun) maxPendingStarts() int64 { return max(100, int64(backlogSeconds*r.plan.rate)) }

// errKinds turns error kinds into a sorted one-line summary.
func errKinds(m map[string]int64) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

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
// message acknowledged but received twice (duplicated), only after the
// grace (late) or never (lost) is found. After the grace the bench keeps
// listening, up to --late-limit, while acknowledged messages are still
// missing: what arrives then is late, what never arrives is lost.
//
// WhatsApp customers (whatsapp.go) go through the same tables, marked as
// WhatsApp, and are reported apart.

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
	lateLimit    time.Duration // after the grace, listen at most this long for missing messages
}

// direction is which way a message goes.
type direction int

const (
	toAgent    direction = iota // a customer's message
	toCustomer                  // an agent's answer
)

// msgTrack follows one message from its send to its arrival.
type msgTrack struct {
	sentAt   time.Time
	acked    bool // the server stored it (the widget's echo, the webhook's 200, or the API's 201)
	received int  // arrivals on the other side (socket, or the fake Graph API)
	late     bool // the first arrival came after the grace
	whatsapp bool // a WhatsApp customer's, or the answer to one
	opens    bool // a WhatsApp customer's first: it opens the conversation
}

// chatTrack follows one chat.
type chatTrack struct {
	startSent  time.Time // POST /widget/chats written (zero until it answered), or the first webhook posted
	firstOffer time.Time
	owner      int64
	whatsapp   bool
}

// channelFigures are what is measured per channel.
type channelFigures struct {
	custToAgent, agentToCust Samples // arrivals within the grace
	custLate, agentLate      Samples // arrivals after it

	started, assigned, closed atomic.Int64
}

func (f *channelFigures) latencies(d direction) (inTime, late *Samples) {
	if d == toAgent {
		return &f.custToAgent, &f.custLate
	}
	return &f.agentToCust, &f.agentLate
}

// chatRun is the state of one chat-steady run, shared by every customer
// and desk.
type chatRun struct {
	plan     chatPlan
	base     string
	hc       *http.Client
	started  time.Time
	graceEnd time.Time // arrivals after it are late
	wa       *waState  // nil: no WhatsApp queues

	mu        sync.Mutex
	chats     map[int64]*chatTrack
	custMsgs  map[int64]*msgTrack
	agentMsgs map[int64]*msgTrack
	waiting   map[int64][]int64 // customer messages that reached a conversation before its owner
	desks     map[int64]*desk   // by agent

	seq atomic.Int64

	widgetFig, waFig channelFigures
	acceptToAssigned Samples
	errs             *Errors

	listenedLate float64 // seconds listened after the grace
	stillMissing int64   // acknowledged messages missing when the listening stopped

	startsPending, startsSkipped                  atomic.Int64
	acceptsSent, acceptConflicts, offersWithdrawn atomic.Int64
	deskFrames, widgetFrames                      atomic.Int64
	steadyCustSends                               atomic.Int64
}

func newChatRun(plan chatPlan, base string, hc *http.Client, errs *Errors) *chatRun {
	return &chatRun{plan: plan, base: base, hc: hc, errs: errs, chats: map[int64]*chatTrack{}, custMsgs: map[int64]*msgTrack{},
		agentMsgs: map[int64]*msgTrack{}, waiting: map[int64][]int64{}, desks: map[int64]*desk{}}
}

func (r *chatRun) fig(whatsapp bool) *channelFigures {
	if whatsapp {
		return &r.waFig
	}
	return &r.widgetFig
}

func (r *chatRun) table(d direction) map[int64]*msgTrack {
	if d == toAgent {
		return r.custMsgs
	}
	return r.agentMsgs
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
	r.widgetFig.started.Add(1)
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

// assigned records a chat's owner and hands over the customer messages
// that reached it before it had one, for him to answer.
func (r *chatRun) assigned(id, agent int64) (waiting []int64) {
	r.mu.Lock()
	c := r.chat(id)
	c.owner = agent
	waiting = r.waiting[id]
	delete(r.waiting, id)
	r.mu.Unlock()
	r.fig(c.whatsapp).assigned.Add(1)
	return waiting
}

// sending records a widget message about to be written.
func (r *chatRun) sending(d direction, seq int64, at time.Time) {
	r.sendingFrom(d, seq, at, false, false)
}

// sendingFrom records a message about to be sent: by or to a WhatsApp
// customer, and whether it opens his conversation.
func (r *chatRun) sendingFrom(d direction, seq int64, at time.Time, whatsapp, opens bool) {
	r.mu.Lock()
	r.table(d)[seq] = &msgTrack{sentAt: at, whatsapp: whatsapp, opens: opens}
	r.mu.Unlock()
}

// isWhatsApp tells whether a customer message came by WhatsApp.
func (r *chatRun) isWhatsApp(seq int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.custMsgs[seq]
	return m != nil && m.whatsapp
}

func (r *chatRun) acked(table map[int64]*msgTrack, seq int64) {
	r.mu.Lock()
	if m := table[seq]; m != nil {
		m.acked = true
	}
	r.mu.Unlock()
}

// arrived records a message's arrival; it reports whether it is the first
// (a second one is a duplicate) and adds the latency of the first: to the
// in-time figures, or to the late ones after the grace.
func (r *chatRun) arrived(d direction, seq int64, at time.Time) bool {
	r.mu.Lock()
	m := r.arriveLocked(d, seq, at)
	r.mu.Unlock()
	return m != nil && m.received == 1
}

// arriveLocked counts one arrival (r.mu held) and returns the message
// (nil: unknown).
func (r *chatRun) arriveLocked(d direction, seq int64, at time.Time) *msgTrack {
	m := r.table(d)[seq]
	if m == nil {
		r.errs.Add("unknown message received")
		return nil
	}
	m.received++
	if m.received == 1 {
		inTime, late := r.fig(m.whatsapp).latencies(d)
		if !r.graceEnd.IsZero() && at.After(r.graceEnd) {
			m.late = true
			late.Add(at.Sub(m.sentAt))
		} else {
			inTime.Add(at.Sub(m.sentAt))
		}
	}
	return m
}

// arrivedWaiting records a customer message that reached a conversation
// no agent owns yet (a WhatsApp customer's first): every agent of the
// queue gets it, and the first of them counts as its arrival. The message
// waits for the owner's answer; the first one also tells when the
// conversation started.
func (r *chatRun) arrivedWaiting(seq, interaction int64, at time.Time) {
	r.mu.Lock()
	m := r.custMsgs[seq]
	if m == nil || m.received > 0 {
		r.mu.Unlock()
		if m == nil {
			r.errs.Add("unknown message received")
		}
		return // another agent of the queue had it first
	}
	r.arriveLocked(toAgent, seq, at)
	r.waiting[interaction] = append(r.waiting[interaction], seq)
	opens := m.opens
	if opens {
		c := r.chat(interaction)
		c.startSent, c.whatsapp = m.sentAt, true
	}
	r.mu.Unlock()
	if opens && r.wa != nil {
		r.wa.linkFirst(seq, interaction)
	}
}

// duplicateArrival counts a message an agent's socket got again.
func (r *chatRun) duplicateArrival(seq int64) {
	r.mu.Lock()
	if m := r.custMsgs[seq]; m != nil {
		m.received++
	}
	r.mu.Unlock()
}

// missing counts acknowledged messages that have not arrived yet.
func (r *chatRun) missing() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	for _, t := range []map[int64]*msgTrack{r.custMsgs, r.agentMsgs} {
		for _, m := range t {
			if m.acked && m.received == 0 {
				n++
			}
		}
	}
	return n
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
	unowned    map[int64]bool // customer messages seen in conversations no agent owned yet
}

func newDesk(r *chatRun, a *benchAgent, conn *websocket.Conn) *desk {
	return &desk{run: r, a: a, conn: conn, pending: map[int64]*time.Timer{}, acceptSent: map[int64]time.Time{},
		unowned: map[int64]bool{}}
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

// read handles the desk's frames until listen ends; the agent acts
// (accepts, answers) within act, and answers until replyBy.
func (d *desk) read(listen, act context.Context, replyBy time.Time) {
	ctx := act
	for {
		_, b, err := d.conn.Read(listen)
		if err != nil {
			if listen.Err() == nil {
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
		if json.Unmarshal(f.Data, &ev) != nil {
			continue
		}
		if f.Event == "message.received" && ev.AgentID == nil {
			d.unownedMessage(ev, now)
			continue
		}
		if ev.AgentID == nil || *ev.AgentID != d.a.ID {
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
			for _, seq := range d.run.assigned(ev.InteractionID, d.a.ID) {
				if now.Before(replyBy) {
					go d.reply(ctx, ev.InteractionID, seq)
				}
			}
		case "message.received":
			if ev.Message == nil || ev.Message.Direction != "in" {
				continue
			}
			seq, ok := parseTag(ev.Message.Body, 'c')
			if !ok {
				continue
			}
			if d.run.arrived(toAgent, seq, now) && now.Before(replyBy) {
				go d.reply(ctx, ev.InteractionID, seq)
			}
		}
	}
}

// unownedMessage handles a customer's message in a conversation that
// waits for an agent (a WhatsApp customer's first): every agent of the
// queue sees it; the same agent seeing it twice is a duplicate.
func (d *desk) unownedMessage(ev deskData, now time.Time) {
	if ev.Message == nil || ev.Message.Direction != "in" {
		return
	}
	seq, ok := parseTag(ev.Message.Body, 'c')
	if !ok {
		return
	}
	d.mu.Lock()
	again := d.unowned[seq]
	d.unowned[seq] = true
	d.mu.Unlock()
	if again {
		d.run.duplicateArrival(seq)
		return
	}
	d.run.arrivedWaiting(seq, ev.InteractionID, now)
}

// offered schedules the agent's accept after a random think time; an
// offer that ends meanwhile (another agent took it) is not clicked.
func (d *desk) offered(ctx context.Context, id int64) {
	if ctx.Err() != nil {
		return // the run is over: the agent only listens
	}
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
	if d.pending[id] == nil || ctx.Err() != nil {
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
	d.run.sendingFrom(toCustomer, seq, time.Now(), d.run.isWhatsApp(seq), false)
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
// He acts until run ends; his socket is read until listen ends, for
// answers that come late.
func (r *chatRun) customer(drive, run, listen context.Context, n int, w *website) {
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
	joined := make(chan struct{})
	answered := make(chan struct{}, r.plan.perChat)
	closed := make(chan struct{})
	go r.readWidget(listen, conn, joined, answered, closed)
	defer func() {
		if run.Err() != nil {
			<-closed // still listening for late answers
		}
		conn.CloseNow()
	}()

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
		r.sending(toAgent, seq, now)
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
		r.widgetFig.closed.Add(1)
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
			if r.arrived(toCustomer, seq, now) {
				select {
				case answered <- struct{}{}:
				default:
				}
			}
			// The customer has the chat open: the widget reports the answer
			// read (which says delivered too), as the real one does.
			report := `{"type":"read","up_to":` + strconv.FormatInt(f.ID, 10) + `}`
			if conn.Write(ctx, websocket.MessageText, []byte(report)) != nil {
				return
			}
		case "closed":
			return
		case "error":
			r.errs.Add("widget error frame " + f.Code)
		}
	}
}

// ---- the results

// messageCounts reads one direction's table for one channel once the run
// is over.
func (r *chatRun) messageCounts(d direction, whatsapp bool) MessageCounts {
	r.mu.Lock()
	var c MessageCounts
	for _, m := range r.table(d) {
		if m.whatsapp != whatsapp {
			continue
		}
		c.Sent++
		if m.acked {
			c.Acked++
		}
		switch {
		case m.late:
			c.Late++
		case m.received > 0:
			c.Received++
		case m.acked:
			c.Lost++
		default:
			c.Unacked++
		}
		if m.received > 1 {
			c.Duplicates += int64(m.received - 1)
		}
	}
	r.mu.Unlock()
	_, late := r.fig(whatsapp).latencies(d)
	if c.Late > 0 {
		l := late.Summary()
		c.LateLatency = &l
	}
	return c
}

// offerLatency is new chat → first offer, for one channel's chats with
// both.
func (r *chatRun) offerLatency(whatsapp bool) Latency {
	r.mu.Lock()
	var d []time.Duration
	for _, c := range r.chats {
		if c.whatsapp == whatsapp && !c.startSent.IsZero() && !c.firstOffer.IsZero() {
			d = append(d, c.firstOffer.Sub(c.startSent))
		}
	}
	r.mu.Unlock()
	return summarize(d)
}

func (r *chatRun) result(elapsed time.Duration) *ChatResult {
	secs := elapsed.Seconds()
	steady := (r.plan.duration - r.plan.steadyAfter).Seconds()
	w := &r.widgetFig
	res := &ChatResult{
		CustomerToAgent: w.custToAgent.Summary(), AgentToCustomer: w.agentToCust.Summary(),
		ChatToOffer: r.offerLatency(false), AcceptToAssigned: r.acceptToAssigned.Summary(),
		ChatsStarted: w.started.Load(), ChatsSkipped: r.startsSkipped.Load(), ChatsAssigned: w.assigned.Load(),
		ChatsClosed: w.closed.Load(),
		AcceptsSent: r.acceptsSent.Load(), AcceptConflicts: r.acceptConflicts.Load(),
		OffersWithdrawn:  r.offersWithdrawn.Load(),
		CustomerMessages: r.messageCounts(toAgent, false), AgentMessages: r.messageCounts(toCustomer, false),
		DeskFrames: r.deskFrames.Load(), WidgetFrames: r.widgetFrames.Load(),
		ListenedAfterGrace: round1(r.listenedLate), StillMissing: r.stillMissing,
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
	if r.wa != nil {
		res.WhatsApp = r.whatsappResult(secs, steady)
	}
	return res
}

// whatsappResult is the WhatsApp side of the run.
func (r *chatRun) whatsappResult(secs, steady float64) *WhatsAppResult {
	f, g := &r.waFig, r.wa.graph
	res := &WhatsAppResult{
		CustomerToAgent: f.custToAgent.Summary(), ConversationToOffer: r.offerLatency(true),
		AgentToGraph:         f.agentToCust.Summary(),
		ConversationsStarted: f.started.Load(), ConversationsAssigned: f.assigned.Load(), ConversationsClosed: f.closed.Load(),
		CustomerMessages: r.messageCounts(toAgent, true), AgentMessages: r.messageCounts(toCustomer, true),
		WebhooksPosted: r.wa.webhooksPosted.Load(), WebhooksRefused: r.wa.webhooksRefused.Load(),
		GraphSends: g.received.Load(), GraphRetries: g.retries.Load(),
		StatusesPosted: g.statusPosted.Load(), StatusesAnswered: g.statusOK.Load(), StatusesRefused: g.statusRefused.Load(),
	}
	res.CustomerToAgent.Target, res.ConversationToOffer.Target = 10, 20
	if secs > 0 {
		res.ConversationsPerSecond = round1(float64(res.ConversationsStarted) / secs)
		res.CustomerMessagesPerSecond = round1(float64(res.CustomerMessages.Sent) / secs)
		res.AgentMessagesPerSecond = round1(float64(res.AgentMessages.Sent) / secs)
	}
	if steady > 0 {
		res.SteadyCustomerMessagesPerSecond = round1(float64(r.wa.steadySends.Load()) / steady)
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
		acceptDelay: o.AcceptDelay, steadyAfter: steady, replyByLimit: o.Grace / 2, lateLimit: o.LateLimit}, nil
}

// driveChats starts customers at the plan's rate until drive ends,
// spreading them over the entry points in turn: a chat on a website, or a
// conversation on a WhatsApp account.
func (r *chatRun) driveChats(drive, run, listen context.Context, entries []entryPoint, wg *sync.WaitGroup) {
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
			if e := entries[n%len(entries)]; e.whatsapp != nil {
				r.waCustomer(drive, run, n+1, e.whatsapp)
			} else {
				r.customer(drive, run, listen, n+1, e.website)
			}
		}(n)
	}
}

// listenForLate keeps the sockets and the fake Graph API listening after
// the grace while acknowledged messages are still missing, up to the
// plan's limit, then ends listen. What arrives meanwhile is late; what
// is still missing then is lost.
//
// The time counts from the end of the grace (the measured window closes
// in between).
func (r *chatRun) listenForLate(ctx context.Context, stopListening context.CancelFunc) {
	defer stopListening()
	start := r.graceEnd
	if start.IsZero() {
		start = time.Now()
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		n := r.missing()
		if n == 0 || time.Since(start) >= r.plan.lateLimit {
			r.listenedLate, r.stillMissing = max(0, time.Since(start).Seconds()), n
			return
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			r.listenedLate, r.stillMissing = max(0, time.Since(start).Seconds()), n
			return
		}
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

package bench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// WhatsApp customers in chat-steady. A share of the queues serve WhatsApp
// through a Meta (Cloud API) account whose API address is the bench's own
// fake Graph API, so both ends of the channel are in this process:
//
//   - a customer writes by a signed webhook POST, as Meta delivers a
//     message (X-Hub-Signature-256, the HMAC-SHA256 of the raw body keyed
//     with the account's app secret); his first message opens the
//     conversation;
//   - the agent's answer leaves through the server's outbox, which sends it
//     to the fake Graph API (POST /{version}/{phone-number-id}/messages):
//     that is the customer receiving it. The fake answers as Meta does
//     and then reports the message sent, delivered and read by signed
//     status webhooks.

// waAccount is a WhatsApp account the bench created, with the secrets it
// gave it (the API never returns them).
type waAccount struct {
	ID            int64
	QueueID       int64
	WebhookKey    string
	PhoneNumber   string // E.164
	PhoneNumberID string
	AccessToken   string
	AppSecret     string
}

// runDigits turns a run prefix ("bench" and 6 hex digits) into 8 decimal
// digits, so the numbers of different runs on one server differ.
func runDigits(prefix string) string {
	n, _ := strconv.ParseUint(prefix[len(prefix)-6:], 16, 64)
	return fmt.Sprintf("%08d", n)
}

// createWhatsAppAccount creates a Meta account on a WhatsApp queue through
// the public API, pointing its API at the fake.
func createWhatsAppAccount(ctx context.Context, admin *session, prefix string, i int, queueID int64, g *fakeGraph) (*waAccount, error) {
	run := runDigits(prefix)
	a := &waAccount{QueueID: queueID, PhoneNumber: fmt.Sprintf("+1%s%04d", run, i+1),
		PhoneNumberID: fmt.Sprintf("%s%04d", run, i+1), AccessToken: prefix + "-token-" + strconv.Itoa(i+1),
		AppSecret: prefix + "-app-secret-" + strconv.Itoa(i+1)}
	var out struct {
		ID         int64  `json:"id"`
		WebhookKey string `json:"webhook_key"`
	}
	if err := admin.call(ctx, "POST", "/api/v1/whatsapp-accounts", map[string]any{
		"name": fmt.Sprintf("%s whatsapp %d", prefix, i+1), "queue_id": queueID, "provider": "meta",
		"phone_number": a.PhoneNumber, "phone_number_id": a.PhoneNumberID, "business_account_id": run,
		"access_token": a.AccessToken, "app_secret": a.AppSecret, "verify_token": prefix + "-verify",
		"api_base_url": g.URL(),
	}, &out); err != nil {
		return nil, fmt.Errorf("create WhatsApp account: %w", err)
	}
	a.ID, a.WebhookKey = out.ID, out.WebhookKey
	g.addAccount(a)
	return a, nil
}

// ---- webhooks, as Meta posts them

// metaSignature is the X-Hub-Signature-256 header of a body.
func metaSignature(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// waValue is the "value" of a Cloud API webhook change.
type waValue struct {
	Product  string `json:"messaging_product"`
	Metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []waContact `json:"contacts,omitempty"`
	Messages []waInbound `json:"messages,omitempty"`
	Statuses []waStatus  `json:"statuses,omitempty"`
}

type waContact struct {
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	WaID string `json:"wa_id"`
}

type waInbound struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Text      struct {
		Body string `json:"body"`
	} `json:"text"`
}

type waStatus struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Timestamp   string `json:"timestamp"`
	RecipientID string `json:"recipient_id"`
}

// webhookBody wraps one change for an account in Meta's envelope.
func (a *waAccount) webhookBody(v waValue) []byte {
	v.Product = "whatsapp"
	v.Metadata.DisplayPhoneNumber = a.PhoneNumber[1:]
	v.Metadata.PhoneNumberID = a.PhoneNumberID
	b, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": a.PhoneNumberID, "changes": []any{map[string]any{"field": "messages", "value": v}}}}})
	return b
}

// inboundBody is a customer's text message.
func (a *waAccount) inboundBody(waID, name, messageID, text string, at time.Time) []byte {
	c := waContact{WaID: waID}
	c.Profile.Name = name
	m := waInbound{From: waID, ID: messageID, Timestamp: strconv.FormatInt(at.Unix(), 10), Type: "text"}
	m.Text.Body = text
	return a.webhookBody(waValue{Contacts: []waContact{c}, Messages: []waInbound{m}})
}

// statusBody reports one state of a message the account sent.
func (a *waAccount) statusBody(messageID, state, recipient string, at time.Time) []byte {
	return a.webhookBody(waValue{Statuses: []waStatus{{ID: messageID, Status: state,
		Timestamp: strconv.FormatInt(at.Unix(), 10), RecipientID: recipient}}})
}

// postWebhook posts a signed notification to the account's webhook URL;
// an answer other than 2xx is an *apiError.
func postWebhook(ctx context.Context, hc *http.Client, base string, a *waAccount, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/webhooks/whatsapp/"+a.WebhookKey, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", metaSignature(a.AppSecret, body))
	_, err = doRequest(hc, req, nil)
	return err
}

// ---- the fake Graph API

// graphSink is told of every message the fake Graph API accepted: the
// customer's number and the text.
type graphSink interface {
	graphReceived(to, body string, at time.Time)
}

// waStates are the statuses the fake reports for each accepted message,
// in order.
var waStates = []string{"sent", "delivered", "read"}

// fakeGraph is Meta's Graph API as far as sending text messages goes, on a
// loopback port of the bench's process.
type fakeGraph struct {
	srv  *http.Server
	ln   net.Listener
	hc   *http.Client
	errs *Errors

	mu       sync.Mutex
	accounts map[string]*waAccount // by phone number id
	sends    map[string]*graphSend // by recipient and text
	sink     graphSink
	base     string // the Switchboard server, for the status webhooks
	stopped  bool   // the run is over: nothing more is reported

	nextID        atomic.Int64
	received      atomic.Int64 // send requests accepted
	retries       atomic.Int64 // sends again after an answer the server did not get
	statusPosted  atomic.Int64
	statusOK      atomic.Int64
	statusRefused atomic.Int64

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// graphSend is what the fake remembers of one text it was asked to send.
type graphSend struct {
	answered bool // the accepting answer reached the server
}

// startFakeGraph listens on a loopback port; its status webhooks go to
// base with hc, their failures to errs.
func startFakeGraph(hc *http.Client, base string, errs *Errors) (*fakeGraph, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	g := &fakeGraph{ln: ln, hc: hc, base: base, errs: errs, accounts: map[string]*waAccount{}, sends: map[string]*graphSend{}}
	g.ctx, g.cancel = context.WithCancel(context.Background())
	mux := http.NewServeMux()
	// Any Graph API version: the server chooses.
	mux.HandleFunc("POST /{version}/{phone}/messages", g.messages)
	g.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = g.srv.Serve(ln) }()
	return g, nil
}

// URL is the api_base_url of the bench's accounts.
func (g *fakeGraph) URL() string { return "http://" + g.ln.Addr().String() }

func (g *fakeGraph) addAccount(a *waAccount) {
	g.mu.Lock()
	g.accounts[a.PhoneNumberID] = a
	g.mu.Unlock()
}

func (g *fakeGraph) setSink(s graphSink) {
	g.mu.Lock()
	g.sink = s
	g.mu.Unlock()
}

// stop lets the status webhooks under way finish (for a while: a
// server that does not answer them is not waited for long), then closes
// the server. Nothing it receives afterwards counts.
func (g *fakeGraph) stop() {
	g.mu.Lock()
	g.stopped = true
	g.mu.Unlock()
	done := make(chan struct{})
	go func() { g.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(statusDrain):
		g.cancel()
		<-done
	}
	g.cancel()
	_ = g.srv.Close()
}

// statusDrain is how long stop waits for the status webhooks under way.
const statusDrain = 10 * time.Second

// graphError answers as the Graph API refuses a request.
func graphError(w http.ResponseWriter, status, code int, kind, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": message, "type": kind, "code": code,
		"fbtrace_id": "bench"}})
}

// graphText is what the fake reads of a send request.
type graphText struct {
	Product string `json:"messaging_product"`
	To      string `json:"to"`
	Type    string `json:"type"`
	Text    *struct {
		Body string `json:"body"`
	} `json:"text"`
}

// messages is POST /{version}/{phone-number-id}/messages: a text message
// to a customer. The answer names the new message, as Meta's does; then
// the message's statuses are posted back.
func (g *fakeGraph) messages(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	g.mu.Lock()
	a := g.accounts[r.PathValue("phone")]
	g.mu.Unlock()
	if a == nil {
		graphError(w, http.StatusBadRequest, 100, "GraphMethodException",
			"Unsupported post request. Object with ID '"+r.PathValue("phone")+"' does not exist")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+a.AccessToken {
		graphError(w, http.StatusUnauthorized, 190, "OAuthException", "Invalid OAuth access token - Cannot parse access token")
		return
	}
	var m graphText
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&m); err != nil || m.Product != "whatsapp" ||
		m.To == "" {
		graphError(w, http.StatusBadRequest, 100, "OAuthException", "(#100) Invalid parameter")
		return
	}
	if m.Type != "text" || m.Text == nil {
		// The bench's agents send text only.
		graphError(w, http.StatusBadRequest, 100, "OAuthException", "(#100) The bench's fake Graph API takes text messages only")
		return
	}
	id := fmt.Sprintf("wamid.bench%012d", g.nextID.Add(1))
	key := m.To + "\x00" + m.Text.Body
	g.mu.Lock()
	prev := g.sends[key]
	send := &graphSend{}
	if prev == nil {
		g.sends[key] = send
	} else {
		send = prev
	}
	sink := g.sink
	if g.stopped {
		sink = nil
	}
	g.mu.Unlock()
	g.received.Add(1)
	switch {
	case prev != nil && !prev.answered:
		// The server never had our first answer (it gave up waiting):
		// sending again is its outbox doing its job, not a duplicate.
		g.retries.Add(1)
	case sink != nil:
		sink.graphReceived(m.To, m.Text.Body, at)
	}
	w.Header().Set("Content-Type", "application/json")
	err := json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp",
		"contacts": []any{map[string]string{"input": m.To, "wa_id": m.To}},
		"messages": []any{map[string]string{"id": id, "message_status": "accepted"}}})
	if err != nil || r.Context().Err() != nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	send.answered = true
	if g.stopped {
		return
	}
	g.wg.Add(1) // under mu: never after stop began waiting
	go g.reportStatuses(a, id, m.To)
}

// reportStatuses posts sent, delivered and read for a message, one after
// the other, as the customer's phone gets and opens it.
func (g *fakeGraph) reportStatuses(a *waAccount, id, to string) {
	defer g.wg.Done()
	for _, state := range waStates {
		if g.ctx.Err() != nil {
			return
		}
		g.statusPosted.Add(1)
		err := postWebhook(g.ctx, g.hc, g.base, a, a.statusBody(id, state, to, time.Now()))
		switch {
		case err == nil:
			g.statusOK.Add(1)
		case g.ctx.Err() != nil && errors.Is(err, context.Canceled):
			g.statusPosted.Add(-1) // the run ended under it: not an answer
			return
		default:
			g.statusRefused.Add(1)
			g.errs.Add(errorKind("whatsapp status webhook", err))
		}
	}
}

// ---- the WhatsApp customer

// waCustomer is one customer writing to an account from his phone.
type waCustomer struct {
	waID        string
	account     *waAccount
	answers     chan struct{} // one per answer the fake Graph API took for him
	interaction atomic.Int64  // known once his first message reached an agent
}

// waState is what chat-steady keeps of its WhatsApp side.
type waState struct {
	graph *fakeGraph
	run   string // this run's digits in the customers' numbers

	mu        sync.Mutex
	customers map[string]*waCustomer // by wa_id
	byFirst   map[int64]*waCustomer  // by the sequence of his first message

	webhooksPosted, webhooksRefused atomic.Int64
	steadySends                     atomic.Int64 // customer messages once the rate is steady
}

func newWAState(g *fakeGraph, prefix string) *waState {
	return &waState{graph: g, run: runDigits(prefix), customers: map[string]*waCustomer{}, byFirst: map[int64]*waCustomer{}}
}

// number is the n-th customer's WhatsApp id (E.164 without the +: 15
// digits, the run's 8 in the middle).
func (s *waState) number(n int) string { return fmt.Sprintf("3%s%06d", s.run, n%1000000) }

// graphReceived is the fake Graph API taking an agent's answer: the
// customer's phone receives it.
func (r *chatRun) graphReceived(to, body string, at time.Time) {
	seq, ok := parseTag(body, 'a')
	if !ok {
		r.errs.Add("whatsapp: unknown text sent to a customer")
		return
	}
	if !r.arrived(toCustomer, seq, at) {
		return
	}
	r.wa.mu.Lock()
	c := r.wa.customers[to]
	r.wa.mu.Unlock()
	if c != nil {
		select {
		case c.answers <- struct{}{}:
		default:
		}
	}
}

// linkFirst learns a WhatsApp customer's conversation from the message
// event of his first message.
func (s *waState) linkFirst(seq, interaction int64) {
	s.mu.Lock()
	c := s.byFirst[seq]
	delete(s.byFirst, seq)
	s.mu.Unlock()
	if c != nil {
		c.interaction.Store(interaction)
	}
}

// post sends one customer message by webhook; the server's 200 is its
// acknowledgement.
func (r *chatRun) waPost(ctx context.Context, c *waCustomer, n int, seq int64, first bool) error {
	now := time.Now()
	r.sendingFrom(toAgent, seq, now, true, first)
	if now.Sub(r.started) >= r.plan.steadyAfter {
		r.wa.steadySends.Add(1)
	}
	if first {
		r.wa.mu.Lock()
		r.wa.byFirst[seq] = c
		r.wa.mu.Unlock()
	}
	body := c.account.inboundBody(c.waID, "Customer "+strconv.Itoa(n), fmt.Sprintf("wamid.in.%s.%d", r.wa.run, seq),
		tag('c', seq), now)
	r.wa.webhooksPosted.Add(1)
	if err := postWebhook(ctx, r.hc, r.base, c.account, body); err != nil {
		if ctx.Err() == nil {
			r.wa.webhooksRefused.Add(1)
			r.errs.Add(errorKind("whatsapp webhook", err))
		}
		return err
	}
	r.acked(r.custMsgs, seq)
	return nil
}

// waCustomer is one WhatsApp conversation from the customer's phone: his
// first message opens it; once the agent has answered it he writes the
// rest at the plan's pace, waits for every answer, and the agent then
// closes the conversation (WhatsApp has no "end chat" of the customer's).
func (r *chatRun) waCustomer(drive, run context.Context, n int, a *waAccount) {
	c := &waCustomer{waID: r.wa.number(n), account: a, answers: make(chan struct{}, r.plan.perChat)}
	r.wa.mu.Lock()
	r.wa.customers[c.waID] = c
	r.wa.mu.Unlock()
	err := r.waPost(run, c, n, r.seq.Add(1), true)
	r.startsPending.Add(-1)
	if err != nil {
		return
	}
	r.waFig.started.Add(1)
	// His messages keep the widget customer's pace from the first one on;
	// the second waits for the answer to the first, too.
	t := time.NewTicker(r.plan.interval)
	defer t.Stop()
	select {
	case <-c.answers:
	case <-run.Done():
		return
	}
	sent := 1
	for sent < r.plan.perChat {
		select {
		case <-t.C:
		case <-drive.Done():
		}
		if drive.Err() != nil {
			break
		}
		if r.waPost(run, c, n, r.seq.Add(1), false) != nil {
			return
		}
		sent++
	}
	for range sent - 1 {
		select {
		case <-c.answers:
		case <-run.Done():
			return
		}
	}
	r.closeForCustomer(run, c)
}

// closeForCustomer has the agent who owns a WhatsApp conversation close
// it, the customer having had every answer.
func (r *chatRun) closeForCustomer(ctx context.Context, c *waCustomer) {
	id := c.interaction.Load()
	r.mu.Lock()
	var owner int64
	if ch := r.chats[id]; ch != nil {
		owner = ch.owner
	}
	d := r.desks[owner]
	r.mu.Unlock()
	if id == 0 || d == nil {
		r.errs.Add("whatsapp: answered conversation without a known owner")
		return
	}
	err := d.a.s.call(ctx, "POST", "/api/v1/interactions/"+strconv.FormatInt(id, 10)+"/close", nil, nil)
	if err != nil {
		if ctx.Err() == nil {
			r.errs.Add(errorKind("whatsapp close", err))
		}
		return
	}
	r.waFig.closed.Add(1)
}

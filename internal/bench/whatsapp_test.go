package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/outbox"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

func benchAccount() *waAccount {
	return &waAccount{ID: 1, QueueID: 2, WebhookKey: "key1", PhoneNumber: "+1123456780001", PhoneNumberID: "123456780001",
		AccessToken: "token-1", AppSecret: "secret-1"}
}

// The server's own parser and signature check are the judges of what the
// bench posts.
func TestBenchWebhooksAreWhatTheServerAccepts(t *testing.T) {
	a := benchAccount()
	at := time.Unix(1_700_000_000, 0)
	body := a.inboundBody("393331234567", "Customer 7", "wamid.in.1", "c:7", at)
	sig := metaSignature(a.AppSecret, body)
	if !whatsapp.VerifyMetaSignature(a.AppSecret, body, sig) {
		t.Fatalf("the server refuses the bench's signature %s", sig)
	}
	if whatsapp.VerifyMetaSignature("another-secret", body, sig) ||
		whatsapp.VerifyMetaSignature(a.AppSecret, append(body, ' '), sig) {
		t.Fatal("the signature does not depend on the secret and the body")
	}
	d, err := whatsapp.ParseMeta(body, a.PhoneNumberID)
	if err != nil || len(d.Messages) != 1 || d.Skipped != 0 {
		t.Fatalf("parsed %+v %v", d, err)
	}
	m := d.Messages[0]
	if m.ProviderID != "wamid.in.1" || m.From != "+393331234567" || m.ProfileName != "Customer 7" || m.Kind != "text" ||
		m.Text != "c:7" || !m.At.Equal(at) {
		t.Errorf("message %+v", m)
	}
	d, err = whatsapp.ParseMeta(a.statusBody("wamid.bench1", "delivered", "393331234567", at), a.PhoneNumberID)
	if err != nil || len(d.Statuses) != 1 || d.Statuses[0].ProviderMessageID != "wamid.bench1" || d.Statuses[0].State == "" {
		t.Fatalf("status %+v %v", d, err)
	}
}

func TestBenchNumbersAreE164(t *testing.T) {
	s := newWAState(nil, "bench"+"ffffff")
	for _, n := range []int{1, 999999, 1000000} {
		if _, ok := whatsapp.NormaliseNumber(s.number(n)); !ok {
			t.Errorf("customer %d: %s", n, s.number(n))
		}
	}
	if s.number(1) == newWAState(nil, "bench000001").number(1) {
		t.Error("two runs give their customers the same numbers")
	}
	if _, ok := whatsapp.NormaliseNumber("+1" + runDigits("benchffffff") + "0100"); !ok {
		t.Error("account number")
	}
}

func TestWhatsAppQueuesSpreadEvenly(t *testing.T) {
	count := func(queues int, share float64) (n int, first int) {
		first = -1
		for i := range queues {
			if isWhatsAppQueue(i, share) {
				if first < 0 {
					first = i
				}
				n++
			}
		}
		return n, first
	}
	cases := []struct {
		queues      int
		share       float64
		want, first int
	}{
		{100, 0.2, 20, 4}, {2, 0.5, 1, 1}, {10, 0, 0, -1}, {3, 1, 3, 0}, {1, 0.2, 0, -1}, {10, 0.3, 3, 3},
	}
	for _, c := range cases {
		if n, first := count(c.queues, c.share); n != c.want || first != c.first {
			t.Errorf("%d queues × %g: %d on WhatsApp, the first %d", c.queues, c.share, n, first)
		}
	}
}

// sinkFunc records what the fake Graph API took.
type sinkFunc func(to, body string, at time.Time)

func (f sinkFunc) graphReceived(to, body string, at time.Time) { f(to, body, at) }

// statusReceiver plays the Switchboard server's webhook: it checks the
// signature and reads the statuses with the server's own parser.
type statusReceiver struct {
	mu     sync.Mutex
	states []string
	srv    *httptest.Server
}

func newStatusReceiver(t *testing.T, a *waAccount) *statusReceiver {
	sr := &statusReceiver{}
	sr.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path != "/api/v1/webhooks/whatsapp/"+a.WebhookKey ||
			!whatsapp.VerifyMetaSignature(a.AppSecret, body, r.Header.Get("X-Hub-Signature-256")) {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		d, err := whatsapp.ParseMeta(body, a.PhoneNumberID)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		sr.mu.Lock()
		for _, st := range d.Statuses {
			sr.states = append(sr.states, st.ProviderMessageID+" "+st.State)
		}
		sr.mu.Unlock()
	}))
	t.Cleanup(sr.srv.Close)
	return sr
}

// graphWithReceiver starts a fake Graph API with the bench's account,
// posting its statuses to a status receiver.
func graphWithReceiver(t *testing.T) (*waAccount, *fakeGraph, *statusReceiver, *Errors) {
	a := benchAccount()
	sr := newStatusReceiver(t, a)
	errs := &Errors{}
	g, err := startFakeGraph(http.DefaultClient, sr.srv.URL, errs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.stop)
	g.addAccount(a)
	return a, g, sr, errs
}

// accountSource gives the server's WhatsApp sender the bench's account.
type accountSource struct{ a *whatsapp.Account }

func (s accountSource) WhatsAppAccount(context.Context, int64) (*whatsapp.Account, error) {
	return s.a, nil
}
func (s accountSource) OutboundFile(context.Context, int64) (*whatsapp.File, error) {
	return nil, errors.New("no files")
}

// The server's own sender talks to the fake, which answers as Meta does
// and then posts the message's statuses, signed.
func TestFakeGraphAPIAnswersTheServersSenderAsMeta(t *testing.T) {
	a, g, sr, errs := graphWithReceiver(t)
	var mu sync.Mutex
	var got []string
	g.setSink(sinkFunc(func(to, body string, _ time.Time) {
		mu.Lock()
		got = append(got, to+" "+body)
		mu.Unlock()
	}))
	account := &whatsapp.Account{Provider: whatsapp.Meta, PhoneNumberID: a.PhoneNumberID, APIBaseURL: g.URL(),
		Secrets: whatsapp.Secrets{AccessToken: a.AccessToken}}
	sender := &whatsapp.Sender{Source: accountSource{account}}
	id, err := sender.Send(context.Background(), outbox.Job{Channel: "whatsapp", AccountID: 1, To: "+393331234567", Body: "a:7"})
	if err != nil || !strings.HasPrefix(id, "wamid.") {
		t.Fatalf("send: %q %v", id, err)
	}
	// The same text again, after it was answered: a duplicate, told to the sink.
	if _, err := sender.Send(context.Background(), outbox.Job{AccountID: 1, To: "+393331234567", Body: "a:7"}); err != nil {
		t.Fatal(err)
	}
	// A wrong token is refused for good, as Meta's 401 is.
	account.Secrets.AccessToken = "wrong"
	_, err = sender.Send(context.Background(), outbox.Job{AccountID: 1, To: "+393331234567", Body: "a:8"})
	if reason, final := outbox.IsRejected(err); !final || !strings.Contains(reason, "#190") {
		t.Errorf("wrong token: %v", err)
	}
	g.stop() // waits for the status webhooks
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, ",") != "393331234567 a:7,393331234567 a:7" || g.received.Load() != 2 || g.retries.Load() != 0 {
		t.Errorf("sink got %v; %d received, %d retries", got, g.received.Load(), g.retries.Load())
	}
	sr.mu.Lock()
	defer sr.mu.Unlock()
	var first []string
	for _, st := range sr.states {
		if strings.HasPrefix(st, id+" ") {
			first = append(first, strings.TrimPrefix(st, id+" "))
		}
	}
	if len(sr.states) != 6 || strings.Join(first, ",") != "sent,delivered,read" {
		t.Errorf("statuses %v", sr.states)
	}
	if g.statusPosted.Load() != 6 || g.statusOK.Load() != 6 || errs.Total() != 0 {
		t.Errorf("status webhooks: %d posted, %d answered; errors %v", g.statusPosted.Load(), g.statusOK.Load(), errs.Map())
	}
}

func TestFakeGraphAPIRefusesWhatMetaRefuses(t *testing.T) {
	a := benchAccount()
	var errs Errors
	g, err := startFakeGraph(http.DefaultClient, "http://127.0.0.1:1", &errs)
	if err != nil {
		t.Fatal(err)
	}
	defer g.stop()
	g.addAccount(a)
	post := func(phoneID, token, body string) (int, int) {
		req, _ := http.NewRequest("POST", g.URL()+"/v21.0/"+phoneID+"/messages", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct {
			Error struct {
				Code int `json:"code"`
			} `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e.Error.Code
	}
	text := `{"messaging_product":"whatsapp","to":"393331234567","type":"text","text":{"body":"a:1"}}`
	cases := []struct {
		name, phone, token, body string
		status, code             int
	}{
		{"unknown number", "999", a.AccessToken, text, 400, 100},
		{"wrong token", a.PhoneNumberID, "nope", text, 401, 190},
		{"not JSON", a.PhoneNumberID, a.AccessToken, "{", 400, 100},
		{"no recipient", a.PhoneNumberID, a.AccessToken, `{"messaging_product":"whatsapp","type":"text","text":{"body":"x"}}`, 400, 100},
		{"an image", a.PhoneNumberID, a.AccessToken, `{"messaging_product":"whatsapp","to":"39333","type":"image","image":{"id":"1"}}`, 400, 100},
	}
	for _, c := range cases {
		if status, code := post(c.phone, c.token, c.body); status != c.status || code != c.code {
			t.Errorf("%s: %d #%d", c.name, status, code)
		}
	}
	if g.received.Load() != 0 {
		t.Errorf("%d refused sends counted as received", g.received.Load())
	}
}

func TestGraphSendAfterAnUnansweredOneIsARetry(t *testing.T) {
	a, g, sr, errs := graphWithReceiver(t)
	var calls atomic.Int64
	g.setSink(sinkFunc(func(string, string, time.Time) { calls.Add(1) }))
	// Its first try reached the fake, whose answer never reached the server.
	g.mu.Lock()
	g.sends["393331234567\x00a:1"] = &graphSend{}
	g.mu.Unlock()
	req, _ := http.NewRequest("POST", g.URL()+"/v21.0/"+a.PhoneNumberID+"/messages",
		strings.NewReader(`{"messaging_product":"whatsapp","to":"393331234567","type":"text","text":{"body":"a:1"}}`))
	req.Header.Set("Authorization", "Bearer "+a.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	g.stop()
	sr.mu.Lock()
	defer sr.mu.Unlock()
	if resp.StatusCode != 200 || g.retries.Load() != 1 || calls.Load() != 0 || len(sr.states) != 3 || errs.Total() != 0 {
		t.Errorf("status %d, retries %d, sink calls %d, statuses %v, errors %v", resp.StatusCode, g.retries.Load(),
			calls.Load(), sr.states, errs.Map())
	}
}

func TestLateAndLostAreToldApart(t *testing.T) {
	start := time.Unix(1_000, 0)
	r := newChatRun(chatPlan{}, "", nil, &Errors{})
	r.graceEnd = start.Add(10 * time.Second)
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	send := func(seq int64, whatsapp, ack bool) {
		r.sendingFrom(toCustomer, seq, at(1), whatsapp, false)
		if ack {
			r.acked(r.agentMsgs, seq)
		}
	}
	for seq := int64(1); seq <= 6; seq++ {
		send(seq, false, seq != 5)
	}
	r.arrived(toCustomer, 1, at(2))  // in time
	r.arrived(toCustomer, 2, at(10)) // at the very end of the grace: in time
	r.arrived(toCustomer, 3, at(13)) // late by 3 s: 12 s after sending
	r.arrived(toCustomer, 6, at(3))
	r.arrived(toCustomer, 6, at(4)) // again: a duplicate
	// 4 acknowledged, never arrived: lost; 5 never acknowledged.
	send(7, true, true)
	r.arrived(toCustomer, 7, at(31)) // a late WhatsApp answer counts for WhatsApp only

	c := r.messageCounts(toCustomer, false)
	want := MessageCounts{Sent: 6, Acked: 5, Received: 3, Late: 1, Lost: 1, Duplicates: 1, Unacked: 1}
	if c.LateLatency == nil || c.LateLatency.Count != 1 || c.LateLatency.Max != 12000 {
		t.Errorf("late latency %+v", c.LateLatency)
	}
	c.LateLatency = nil
	if c != want {
		t.Errorf("widget: got %+v, want %+v", c, want)
	}
	if l := r.widgetFig.agentToCust.Summary(); l.Count != 3 || l.Max != 9000 {
		t.Errorf("in-time latencies %+v", l)
	}
	if wa := r.messageCounts(toCustomer, true); wa.Sent != 1 || wa.Late != 1 || wa.Lost != 0 || wa.LateLatency.Max != 30000 {
		t.Errorf("WhatsApp: %+v", wa)
	}
	if n := r.missing(); n != 1 {
		t.Errorf("missing %d, want the lost one", n)
	}
}

func TestListeningAfterTheGraceStopsWhenNothingIsMissingOrAtTheLimit(t *testing.T) {
	r := newChatRun(chatPlan{lateLimit: time.Hour}, "", nil, &Errors{})
	r.sending(toAgent, 1, time.Now())
	r.acked(r.custMsgs, 1)
	r.arrived(toAgent, 1, time.Now())
	stopped := false
	r.listenForLate(context.Background(), func() { stopped = true })
	if !stopped || r.stillMissing != 0 {
		t.Errorf("nothing missing: stopped %v, still missing %d", stopped, r.stillMissing)
	}
	r = newChatRun(chatPlan{lateLimit: 0}, "", nil, &Errors{})
	r.sending(toAgent, 1, time.Now())
	r.acked(r.custMsgs, 1)
	r.listenForLate(context.Background(), func() {})
	if r.stillMissing != 1 {
		t.Errorf("at the limit: still missing %d", r.stillMissing)
	}
}

// A customer message in a conversation no agent owns yet reaches every
// agent of the queue: it arrives once, and waits for the owner's answer.
func TestAWaitingMessageArrivesOnceAndWaitsForTheOwner(t *testing.T) {
	r := newChatRun(chatPlan{}, "", nil, &Errors{})
	r.wa = newWAState(nil, "bench000001")
	sent := time.Unix(1_000, 0)
	c := &waCustomer{}
	r.wa.byFirst[9] = c
	r.sendingFrom(toAgent, 9, sent, true, true)
	r.acked(r.custMsgs, 9)
	mario := &desk{run: r, a: &benchAgent{ID: 1}, unowned: map[int64]bool{}}
	giulia := &desk{run: r, a: &benchAgent{ID: 2}, unowned: map[int64]bool{}}
	ev := deskData{InteractionID: 42}
	ev.Message = &struct {
		Direction string `json:"direction"`
		Body      string `json:"body"`
	}{"in", "c:9"}
	mario.unownedMessage(ev, sent.Add(3*time.Millisecond))
	giulia.unownedMessage(ev, sent.Add(5*time.Millisecond))
	r.offerSeen(42, sent.Add(7*time.Millisecond))
	if got := r.messageCounts(toAgent, true); got.Received != 1 || got.Duplicates != 0 {
		t.Errorf("seen by the queue: %+v", got)
	}
	if c.interaction.Load() != 42 {
		t.Errorf("the customer's conversation: %d", c.interaction.Load())
	}
	if l := r.offerLatency(true); l.Count != 1 || l.Max != 7 {
		t.Errorf("new conversation → offer %+v", l)
	}
	if w := r.assigned(42, 2); len(w) != 1 || w[0] != 9 || r.waFig.assigned.Load() != 1 || r.widgetFig.assigned.Load() != 0 {
		t.Errorf("the owner answers %v", w)
	}
	if w := r.assigned(42, 2); len(w) != 0 {
		t.Errorf("answered twice: %v", w)
	}
	mario.unownedMessage(ev, sent.Add(9*time.Millisecond)) // the same agent again: a duplicate
	if got := r.messageCounts(toAgent, true); got.Duplicates != 1 {
		t.Errorf("duplicate: %+v", got)
	}
}

func TestReportShowsWhatsAppAndLateMessages(t *testing.T) {
	r := sampleReport()
	r.Params.WhatsAppAccounts, r.Params.Queues, r.Params.LateLimit = 20, 100, "1m0s"
	r.Chat.AgentMessages = MessageCounts{Sent: 10, Acked: 10, Received: 8, Late: 2,
		LateLatency: &Latency{Count: 2, P50: 12000, Max: 37000}}
	r.Chat.ListenedAfterGrace = 31.5
	r.Chat.WhatsApp = &WhatsAppResult{CustomerToAgent: Latency{Count: 5, P50: 3, P99: 8, Max: 9, Target: 10},
		ConversationsStarted: 3, GraphSends: 6, GraphRetries: 1, StatusesPosted: 15, StatusesAnswered: 15,
		AgentMessages: MessageCounts{Sent: 5, Acked: 5, Received: 5}}
	var b bytes.Buffer
	r.WriteText(&b)
	out := b.String()
	for _, want := range []string{
		"20 of 100 queues on WhatsApp",
		"late 2, lost 0, duplicated 0", "the late ones arrived p50 12000, max 37000 ms after sending",
		"31.5 s, until every acknowledged message had arrived (2 late)",
		"WhatsApp customer → agent", "goal p99 < 10 ms met",
		"Graph API got 6 sends, 1 of them the outbox's retries",
		"15 status callbacks posted, 15 answered 2xx, 0 refused",
		"WhatsApp new conversation → offer", "WhatsApp agent → Graph API",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	r.Chat.StillMissing, r.Chat.ListenedAfterGrace = 3, 60
	b.Reset()
	r.WriteText(&b)
	if want := "60.0 s, then stopped (--late-limit 1m0s) with 3 still missing: lost"; !strings.Contains(b.String(), want) {
		t.Errorf("missing %q in\n%s", want, b.String())
	}
}

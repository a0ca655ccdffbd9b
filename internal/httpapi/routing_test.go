package httpapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// routingSite is a site with a ring-all chat queue and two signed-in agents.
type routingSite struct {
	site         *apptest.Site
	admin        *apptest.Client
	queue        map[string]any
	mario, giula *apptest.Client
	marioID      string
	giuliaID     string
}

func newRoutingSite(t *testing.T) *routingSite {
	t.Helper()
	return newRoutingSiteOn(t, store.SQLite)
}

func newRoutingSiteOn(t *testing.T, d store.Dialect) *routingSite {
	t.Helper()
	site := apptest.Start(t, apptest.Options{Dialect: d})
	admin := site.Admin(t)
	q := admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Support chat", "channel": "chat", "strategy": "ring_all",
		"agent_timeout": 30}).Expect(t, 201).Map(t)
	rs := &routingSite{site: site, admin: admin, queue: q}
	for _, name := range []string{"mario", "giulia"} {
		a := createAgent(t, admin, name, "")
		admin.Do("PUT", "/api/v1/agents/"+idOf(a)+"/queues", map[string]any{"queue_ids": []any{q["id"]}}).Expect(t, 200)
		c := site.Client(t)
		changeFirstPassword(t, c, name, "Agent-Pass22")
		if name == "mario" {
			rs.mario, rs.marioID = c, idOf(a)
		} else {
			rs.giula, rs.giuliaID = c, idOf(a)
		}
	}
	return rs
}

func (rs *routingSite) newInteraction(t *testing.T, queueID any) string {
	t.Helper()
	it := rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": queueID, "subject": "Help"}).Expect(t, 201).Map(t)
	return idOf(it)
}

func offers(t *testing.T, c *apptest.Client) []any {
	t.Helper()
	d := c.Do("GET", "/api/v1/me/desk", nil).Expect(t, 200).Map(t)
	return d["routing"].(map[string]any)["offers"].([]any)
}

func TestRingAllOffersEveryoneAndTheFirstAcceptWins(t *testing.T) {
	rs := newRoutingSite(t)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": nil}).Expect(t, 200)
	rs.giula.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": nil}).Expect(t, 200)
	conn, _, err := dialWS(t, rs.site, rs.giula, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	readWS(t, conn) // hello
	id := rs.newInteraction(t, rs.queue["id"])
	if len(offers(t, rs.mario)) != 1 || len(offers(t, rs.giula)) != 1 {
		t.Fatalf("offers: mario %v, giulia %v", offers(t, rs.mario), offers(t, rs.giula))
	}
	got := rs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200).Map(t)
	if got["status"] != "open" || idOf(map[string]any{"id": got["owner_id"]}) != rs.marioID {
		t.Fatalf("after accept %v", got)
	}
	if len(offers(t, rs.giula)) != 0 {
		t.Fatal("giulia still has the offer")
	}
	// Giulia's desktop is told it was taken.
	var ended wsMsg
	for ended.Event != "interaction.offer_ended" {
		ended = readWS(t, conn)
	}
	if string(ended.Data) == "" || !strings.Contains(string(ended.Data), `"reason":"taken"`) {
		t.Fatalf("ended %s", ended.Data)
	}
	// Her late accept is refused and changes nothing.
	rs.giula.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, http.StatusConflict)
	// Only the owner can close it.
	rs.giula.Do("POST", "/api/v1/interactions/"+id+"/close", nil).Expect(t, http.StatusForbidden)
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/close", nil).Expect(t, 200)
}

func TestPauseStopsOffersAndResumeBringsThem(t *testing.T) {
	rs := newRoutingSite(t)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	reason := rs.admin.Do("POST", "/api/v1/pause-reasons", map[string]any{"name": "Lunch"}).Expect(t, 201).Map(t)
	desk := rs.mario.Do("POST", "/api/v1/me/pause", map[string]any{"reason_id": reason["id"]}).Expect(t, 200).Map(t)
	if desk["presence"].(map[string]any)["pause_reason"] != "Lunch" {
		t.Fatalf("desk %v", desk)
	}
	rs.newInteraction(t, rs.queue["id"])
	if len(offers(t, rs.mario)) != 0 {
		t.Fatal("paused agent got an offer")
	}
	rs.mario.Do("POST", "/api/v1/me/resume", nil).Expect(t, 200)
	if len(offers(t, rs.mario)) != 1 {
		t.Fatal("resumed agent got no offer for the waiting interaction")
	}
	// A supervisor can pause him too (and the offer goes).
	rs.admin.Do("POST", "/api/v1/agents/"+rs.marioID+"/pause", map[string]any{}).Expect(t, 200)
	if len(offers(t, rs.mario)) != 0 {
		t.Fatal("offer survived the supervisor's pause")
	}
	rs.admin.Do("POST", "/api/v1/agents/"+rs.marioID+"/logout", nil).Expect(t, 204)
	if d := rs.mario.Do("GET", "/api/v1/me/desk", nil).Map(t); d["presence"] != nil {
		t.Fatalf("still logged in: %v", d["presence"])
	}
}

func TestTheProfileChosenAtLoginDecidesTheQueues(t *testing.T) {
	rs := newRoutingSite(t)
	sales := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Sales", "channel": "chat"}).Expect(t, 201).Map(t)
	prof := rs.admin.Do("POST", "/api/v1/agent-profiles", map[string]any{"name": "Afternoon", "enabled": true,
		"agent_ids": []any{atoi(rs.marioID)}, "queues": []any{map[string]any{"queue_id": sales["id"]}}}).Expect(t, 201).Map(t)
	d := rs.mario.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": nil}).Expect(t, 200).Map(t)
	if len(d["profiles"].([]any)) != 1 {
		t.Fatalf("profiles offered %v", d["profiles"])
	}
	rs.newInteraction(t, sales["id"])
	if len(offers(t, rs.mario)) != 0 {
		t.Fatal("offered from a queue of a profile he did not choose")
	}
	rs.mario.Do("POST", "/api/v1/me/profile", map[string]any{"profile_id": prof["id"]}).Expect(t, 200)
	if len(offers(t, rs.mario)) != 1 {
		t.Fatal("not offered after choosing the profile")
	}
	// Disabling a profile in use warns first; then it cannot be chosen.
	rs.admin.Do("PATCH", "/api/v1/agent-profiles/"+idOf(prof), map[string]any{"enabled": false}).Expect(t, 409)
	rs.admin.Do("PATCH", "/api/v1/agent-profiles/"+idOf(prof), map[string]any{"enabled": false, "confirm": true}).Expect(t, 200)
	rs.admin.Do("DELETE", "/api/v1/agent-profiles/"+idOf(prof), nil).Expect(t, 409)
	if d := rs.mario.Do("GET", "/api/v1/me/desk", nil).Map(t); d["presence"].(map[string]any)["profile_name"] != "Afternoon" {
		t.Fatalf("agent moved off the disabled profile: %v", d["presence"])
	}
	rs.mario.Do("POST", "/api/v1/me/logout", nil).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": prof["id"]}).Expect(t, 400)
	rows := rs.admin.Do("GET", "/api/v1/agents/"+rs.marioID+"/report-member", nil).Expect(t, 200).Map(t)["items"].([]any)
	if len(rows) != 2 || rows[0].(map[string]any)["data3"] != nil || rows[1].(map[string]any)["data4"] != "Afternoon" ||
		rows[1].(map[string]any)["exit_at"] == nil {
		t.Fatalf("report_member %v", rows)
	}
}

func TestTransferTimesOutAndReturnsToTheOwner(t *testing.T) {
	rs := newRoutingSite(t)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	id := rs.newInteraction(t, rs.queue["id"])
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	rs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/transfer", map[string]any{"agent_id": atoi(rs.giuliaID), "timeout": 300}).Expect(t, 200)
	if o := offers(t, rs.giula); len(o) != 1 || o[0].(map[string]any)["transfer"] != true {
		t.Fatalf("transfer offer %v", o)
	}
	rs.site.Clock.Advance(301 * time.Second)
	if len(offers(t, rs.giula)) != 0 {
		t.Fatal("transfer offer outlived its timeout")
	}
	it := rs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Map(t)
	if idOf(map[string]any{"id": it["owner_id"]}) != rs.marioID {
		t.Fatalf("owner after timeout %v", it["owner_id"])
	}
	// A transfer accepted moves the owner.
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/transfer", map[string]any{"queue_id": rs.queue["id"]}).Expect(t, 200)
	rs.giula.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	it = rs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Map(t)
	if idOf(map[string]any{"id": it["owner_id"]}) != rs.giuliaID {
		t.Fatalf("owner after transfer %v", it["owner_id"])
	}
}

func TestRoutingSurvivesARestart(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) { routingSurvivesARestart(t, newRoutingSiteOn(t, d)) })
}

func routingSurvivesARestart(t *testing.T, rs *routingSite) {
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	rs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	waiting := rs.newInteraction(t, rs.queue["id"])
	owned := rs.newInteraction(t, rs.queue["id"])
	rs.mario.Do("POST", "/api/v1/interactions/"+owned+"/accept", nil).Expect(t, 200)
	before := offers(t, rs.giula)

	restarted := rs.site.Restart(t)
	giulia := restarted.Client(t)
	giulia.Login("giulia", "Agent-Pass22")
	after := offers(t, giulia)
	if len(before) != len(after) || len(after) == 0 {
		t.Fatalf("offers before %v after %v", before, after)
	}
	it := restarted.Admin(t).Do("GET", "/api/v1/interactions/"+owned, nil).Map(t)
	if it["status"] != "open" || idOf(map[string]any{"id": it["owner_id"]}) != rs.marioID {
		t.Fatalf("owned interaction after restart %v", it)
	}
	giulia.Do("POST", "/api/v1/interactions/"+waiting+"/accept", nil).Expect(t, 200)
}

// waitUntil polls a condition another goroutine will make true (a socket
// closing on the server side); it waits on work, not on the clock.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestAnAgentWithoutSocketsStopsGettingOffersUntilHeReconnects(t *testing.T) {
	rs := newRoutingSite(t)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	conn, _, err := dialWS(t, rs.site, rs.mario, 0)
	if err != nil {
		t.Fatal(err)
	}
	readWS(t, conn)
	conn.Close(websocket.StatusNormalClosure, "")
	hub := rs.site.App.HTTP.Hub()
	mario := int64(atoi(rs.marioID))
	waitUntil(t, "the server to see the socket gone", func() bool { return hub.Connected(mario) == 0 })
	rs.site.Clock.Advance(59 * time.Second)
	id := rs.newInteraction(t, rs.queue["id"])
	if len(offers(t, rs.mario)) != 1 {
		t.Fatal("offers stopped before the grace time")
	}
	rs.site.Clock.Advance(2 * time.Second)
	if len(offers(t, rs.mario)) != 0 {
		t.Fatal("an agent with no desktop open still holds an offer")
	}
	// His desktop comes back: the waiting interaction is offered again.
	conn, _, err = dialWS(t, rs.site, rs.mario, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	for m := readWS(t, conn); m.Event != "interaction.offered"; m = readWS(t, conn) {
	}
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
}

func TestLogoutKeepsOrRequeuesOpenInteractionsPerSetting(t *testing.T) {
	for _, requeue := range []bool{false, true} {
		t.Run(map[bool]string{false: "keeps", true: "requeues"}[requeue], func(t *testing.T) {
			site := apptest.Start(t, apptest.Options{Env: map[string]string{"SWITCHBOARD_REQUEUE_ON_LOGOUT": strconv.FormatBool(requeue)}})
			admin := site.Admin(t)
			q := admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Q", "channel": "sms"}).Expect(t, 201).Map(t)
			a := createAgent(t, admin, "mario", "")
			admin.Do("PUT", "/api/v1/agents/"+idOf(a)+"/queues", map[string]any{"queue_ids": []any{q["id"]}}).Expect(t, 200)
			mario := site.Client(t)
			changeFirstPassword(t, mario, "mario", "Agent-Pass22")
			mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
			it := admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": q["id"]}).Expect(t, 201).Map(t)
			mario.Do("POST", "/api/v1/interactions/"+idOf(it)+"/accept", nil).Expect(t, 200)
			mario.Do("POST", "/api/v1/me/logout", nil).Expect(t, 200)
			got := admin.Do("GET", "/api/v1/interactions/"+idOf(it), nil).Map(t)
			if requeue && (got["status"] != "waiting" || got["owner_id"] != nil) {
				t.Fatalf("not requeued: %v", got)
			}
			if !requeue && (got["status"] != "open" || got["owner_id"] == nil) {
				t.Fatalf("not kept: %v", got)
			}
		})
	}
}

func TestMaxWaitClosesUnmanaged(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	q := admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Night", "channel": "email", "max_wait": 600,
		"max_wait_action": "close_unmanaged"}).Expect(t, 201).Map(t)
	it := admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": q["id"]}).Expect(t, 201).Map(t)
	site.Clock.Advance(599 * time.Second)
	if got := admin.Do("GET", "/api/v1/interactions/"+idOf(it), nil).Map(t); got["status"] != "waiting" {
		t.Fatalf("closed early: %v", got)
	}
	site.Clock.Advance(time.Second)
	if got := admin.Do("GET", "/api/v1/interactions/"+idOf(it), nil).Map(t); got["status"] != "closed_unmanaged" || got["closed_at"] == nil {
		t.Fatalf("after max wait: %v", got)
	}
	// A bad setting is refused with the field named.
	r := admin.Do("PATCH", "/api/v1/queues/"+idOf(q), map[string]any{"max_wait_action": "move"}).Expect(t, 400)
	if fields(t, r)["max_wait_queue_id"] == nil {
		t.Fatalf("%s", r.Body)
	}
	admin.Do("PATCH", "/api/v1/queues/"+idOf(q), map[string]any{"strategy": "telepathy"}).Expect(t, 400)
	admin.Do("PATCH", "/api/v1/queues/"+idOf(q), map[string]any{"channel": "sms"}).Expect(t, 400)
}

func TestSupervisorAddsAnAgentToAQueueAtRunTime(t *testing.T) {
	rs := newRoutingSite(t)
	other := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Overflow", "channel": "chat"}).Expect(t, 201).Map(t)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	rs.newInteraction(t, other["id"])
	if len(offers(t, rs.mario)) != 0 {
		t.Fatal("offered from a queue he is not in")
	}
	q := rs.admin.Do("PUT", "/api/v1/queues/"+idOf(other)+"/members/"+rs.marioID, map[string]any{"penalty": 1}).Expect(t, 200).Map(t)
	if len(q["members"].([]any)) != 1 {
		t.Fatalf("members %v", q["members"])
	}
	if len(offers(t, rs.mario)) != 1 {
		t.Fatal("added agent not offered the waiting interaction at once")
	}
	rs.admin.Do("DELETE", "/api/v1/queues/"+idOf(other)+"/members/"+rs.marioID, nil).Expect(t, 200)
	if len(offers(t, rs.mario)) != 0 {
		t.Fatal("offer kept after removal from the queue")
	}
	live := rs.admin.Do("GET", "/api/v1/realtime/queues", nil).Expect(t, 200).Map(t)["items"].([]any)
	var waiting int
	for _, x := range live {
		if idOf(x.(map[string]any)) == idOf(other) {
			waiting = len(x.(map[string]any)["live"].(map[string]any)["waiting"].([]any))
		}
	}
	if waiting != 1 {
		t.Fatalf("realtime queues %v", live)
	}
}

// The supervisor's queues say since when the longest wait in each began:
// the oldest waiting interaction's, none when nothing waits, a newer one's
// once the oldest is taken.
func TestRealtimeQueuesTellTheLongestWait(t *testing.T) {
	rs := newRoutingSite(t)
	longest := func() any {
		t.Helper()
		for _, x := range rs.admin.Do("GET", "/api/v1/realtime/queues", nil).Expect(t, 200).Map(t)["items"].([]any) {
			if q := x.(map[string]any); idOf(q) == idOf(rs.queue) {
				return q["live"].(map[string]any)["longest_waiting_since"]
			}
		}
		t.Fatal("queue not in the realtime view")
		return nil
	}
	if got := longest(); got != nil {
		t.Fatalf("nothing waits, longest since %v", got)
	}
	first := rs.site.Clock.Now().UTC()
	id := rs.newInteraction(t, rs.queue["id"])
	rs.site.Clock.Advance(90 * time.Second)
	second := rs.site.Clock.Now().UTC()
	rs.newInteraction(t, rs.queue["id"])
	rs.site.Clock.Advance(30 * time.Second)
	if got := longest(); got != first.Format(time.RFC3339Nano) {
		t.Fatalf("longest since %v, want the first's %v", got, first)
	}
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	if got := longest(); got != second.Format(time.RFC3339Nano) {
		t.Fatalf("after the first is taken, longest since %v, want the second's %v", got, second)
	}
}

func TestRoutingRefusalsAreClearAndLeaveNothingHalfDone(t *testing.T) {
	rs := newRoutingSite(t)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	id := rs.newInteraction(t, rs.queue["id"])
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	// Transfer to himself: a clear 400, not a server error.
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/transfer", map[string]any{"agent_id": atoi(rs.marioID)}).Expect(t, 400)
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/transfer", map[string]any{}).Expect(t, 400)
	// A re-login with a profile he cannot choose leaves him logged in as before.
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": 999}).Expect(t, 400)
	d := rs.mario.Do("GET", "/api/v1/me/desk", nil).Map(t)
	if d["presence"] == nil || d["routing"].(map[string]any)["logged_in"] != true {
		t.Fatalf("half logged in: %v", d)
	}
	// Overdue interactions cannot move to a queue of another channel.
	sms := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "SMS", "channel": "sms"}).Expect(t, 201).Map(t)
	r := rs.admin.Do("PATCH", "/api/v1/queues/"+idOf(rs.queue), map[string]any{"max_wait": 60, "max_wait_action": "move",
		"max_wait_queue_id": sms["id"]}).Expect(t, 400)
	if fields(t, r)["max_wait_queue_id"] == nil {
		t.Fatalf("%s", r.Body)
	}
}

func TestDeletingTheQueueOverdueInteractionsMoveToKeepsThemWaiting(t *testing.T) {
	rs := newRoutingSite(t)
	overflow := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Overflow", "channel": "chat"}).Expect(t, 201).Map(t)
	rs.admin.Do("PATCH", "/api/v1/queues/"+idOf(rs.queue), map[string]any{"max_wait": 60, "max_wait_action": "move",
		"max_wait_queue_id": overflow["id"]}).Expect(t, 200)
	rs.admin.Do("DELETE", "/api/v1/queues/"+idOf(overflow), nil).Expect(t, 204)
	q := rs.admin.Do("GET", "/api/v1/queues/"+idOf(rs.queue), nil).Map(t)
	if q["max_wait_action"] != "keep" {
		t.Fatalf("queue still moves to a deleted queue: %v", q)
	}
	id := rs.newInteraction(t, rs.queue["id"])
	rs.site.Clock.Advance(2 * time.Minute)
	if it := rs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Map(t); it["status"] != "waiting" {
		t.Fatalf("interaction %v", it)
	}
}

func TestAQueueTransferMovesTheInteractionToTheTargetQueue(t *testing.T) {
	rs := newRoutingSite(t)
	sales := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Sales", "channel": "chat"}).Expect(t, 201).Map(t)
	rs.admin.Do("PUT", "/api/v1/queues/"+idOf(sales)+"/members/"+rs.giuliaID, map[string]any{}).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	id := rs.newInteraction(t, rs.queue["id"])
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	rs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	targets := rs.mario.Do("GET", "/api/v1/me/transfer-targets?interaction_id="+id, nil).Expect(t, 200).Map(t)
	if len(targets["agents"].([]any)) != 1 || len(targets["queues"].([]any)) != 2 {
		t.Fatalf("targets %v", targets)
	}
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/transfer", map[string]any{"queue_id": sales["id"]}).Expect(t, 200)
	rs.giula.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	it := rs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Map(t)
	if idOf(map[string]any{"id": it["queue_id"]}) != idOf(sales) {
		t.Fatalf("queue after transfer %v", it["queue_id"])
	}
}

func TestAWaitingInteractionKnowsItsPlaceInTheQueue(t *testing.T) {
	rs := newRoutingSite(t)
	first := rs.newInteraction(t, rs.queue["id"])
	second := rs.newInteraction(t, rs.queue["id"])
	a := rs.admin.Do("GET", "/api/v1/interactions/"+first, nil).Map(t)
	b := rs.admin.Do("GET", "/api/v1/interactions/"+second, nil).Map(t)
	if a["position"] != float64(1) || b["position"] != float64(2) {
		t.Fatalf("positions %v %v", a["position"], b["position"])
	}
	// After one accepted wait of 90 s, the estimate for the next in line is 90 s.
	rs.site.Clock.Advance(90 * time.Second)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/interactions/"+first+"/accept", nil).Expect(t, 200)
	b = rs.admin.Do("GET", "/api/v1/interactions/"+second, nil).Map(t)
	if b["position"] != float64(1) || b["estimated_wait_seconds"] != float64(90) {
		t.Fatalf("after one accept: %v", b)
	}
}

func TestMyInteractionsListsWhatTheAgentOwns(t *testing.T) {
	rs := newRoutingSite(t)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	a := rs.newInteraction(t, rs.queue["id"])
	b := rs.newInteraction(t, rs.queue["id"])
	rs.mario.Do("POST", "/api/v1/interactions/"+a+"/accept", nil).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/interactions/"+b+"/accept", nil).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/interactions/"+a+"/close", nil).Expect(t, 200)
	items := rs.mario.Do("GET", "/api/v1/me/interactions", nil).Expect(t, 200).Map(t)["items"].([]any)
	if len(items) != 1 || idOf(items[0].(map[string]any)) != b {
		t.Fatalf("mine %v", items)
	}
	if len(rs.giula.Do("GET", "/api/v1/me/interactions", nil).Map(t)["items"].([]any)) != 0 {
		t.Fatal("giulia sees mario's interactions")
	}
}

func TestAutoAnswerAssignsAfterTheAgentsDelay(t *testing.T) {
	rs := newRoutingSite(t)
	rs.admin.Do("PATCH", "/api/v1/agents/"+rs.marioID, map[string]any{"channels": map[string]any{
		"chat": map[string]any{"auto_answer": true, "auto_answer_delay": 5}}}).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	id := rs.newInteraction(t, rs.queue["id"])
	rs.site.Clock.Advance(4 * time.Second)
	if it := rs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Map(t); it["status"] != "waiting" {
		t.Fatalf("answered before the delay: %v", it)
	}
	rs.site.Clock.Advance(time.Second)
	it := rs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Map(t)
	if it["status"] != "open" || idOf(map[string]any{"id": it["owner_id"]}) != rs.marioID {
		t.Fatalf("not auto-answered: %v", it)
	}
}

func TestCapacityLimitsOffersPerChannel(t *testing.T) {
	rs := newRoutingSite(t)
	rs.admin.Do("PATCH", "/api/v1/agents/"+rs.marioID, map[string]any{"channels": map[string]any{
		"chat": map[string]any{"capacity": 1}}}).Expect(t, 200)
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	first := rs.newInteraction(t, rs.queue["id"])
	rs.newInteraction(t, rs.queue["id"])
	if o := offers(t, rs.mario); len(o) != 1 {
		t.Fatalf("capacity 1 but %d offers", len(o))
	}
	rs.mario.Do("POST", "/api/v1/interactions/"+first+"/accept", nil).Expect(t, 200)
	if len(offers(t, rs.mario)) != 0 {
		t.Fatal("offered beyond capacity")
	}
	rs.mario.Do("POST", "/api/v1/interactions/"+first+"/close", nil).Expect(t, 200)
	if o := offers(t, rs.mario); len(o) != 1 {
		t.Fatalf("not offered the next one after closing: %v", o)
	}

}

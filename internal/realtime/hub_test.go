package realtime

import (
	"encoding/json"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

func ev(id int64, typ string, data map[string]any) eventlog.Event {
	b, _ := json.Marshal(data)
	return eventlog.Event{ID: id, Type: eventlog.Type(typ), SubjectType: "interaction", Data: b}
}

func TestEachViewerGetsOnlyWhatHeMaySeeInOrder(t *testing.T) {
	h := NewHub(clock.NewFake(time.Unix(0, 0)), time.Minute)
	agent7 := h.Subscribe(&Viewer{PrincipalID: 7, Works: func(q int64) bool { return q == 1 || q == 2 }})
	agent8 := h.Subscribe(&Viewer{PrincipalID: 8, Works: func(q int64) bool { return q == 2 }})
	sup := h.Subscribe(&Viewer{PrincipalID: 50, Supervises: func(q int64) bool { return q == 2 },
		SupervisesAgent: func(a int64) bool { return a == 8 }})
	admin := h.Subscribe(&Viewer{PrincipalID: 1, Everything: true})
	seven, eight := int64(7), int64(8)
	h.Publish([]eventlog.Event{
		ev(1, "interaction.created", map[string]any{"queue_id": 1}),
		ev(2, "interaction.offered", map[string]any{"queue_id": 2, "agent_id": 7, "private": true}),
		ev(3, "interaction.created", map[string]any{"queue_id": 2}),
		{ID: 4, Type: "agent.paused", SubjectType: "agent", SubjectID: &eight, Data: []byte(`{}`)},
		{ID: 5, Type: "agent.paused", SubjectType: "agent", SubjectID: &seven, Data: []byte(`{}`)},
		{ID: 6, Type: "setting.changed", SubjectType: "setting", Data: []byte(`{}`)},
		{ID: 7, Type: "client_log.changed", SubjectType: "principal", SubjectID: &seven, Data: []byte(`{}`)},
		{ID: 8, Type: "auth.login_failed", SubjectType: "principal", SubjectID: &eight, Data: []byte(`{"ip":"x"}`)},
	})
	// Agents: their queues' events, their own offers and presence, their own
	// account changes; not each other's offers. The supervisor: his queue
	// (offers included) and his agents' presence; never settings or sign-ins
	// of others. The admin: everything.
	want := map[*Subscriber][]int64{agent7: {1, 2, 3, 5, 7}, agent8: {3, 4, 8}, sup: {2, 3, 4},
		admin: {1, 2, 3, 4, 5, 6, 7, 8}}
	for s, ids := range want {
		var got []int64
		for len(s.C) > 0 {
			got = append(got, (<-s.C).ID)
		}
		if len(got) != len(ids) {
			t.Fatalf("viewer %d got %v, want %v", s.Viewer.PrincipalID, got, ids)
		}
		for i := range ids {
			if got[i] != ids[i] {
				t.Fatalf("viewer %d got %v, want %v", s.Viewer.PrincipalID, got, ids)
			}
		}
	}
}

func TestSlowSubscriberIsDroppedNotWaitedFor(t *testing.T) {
	h := NewHub(clock.NewFake(time.Unix(0, 0)), time.Minute)
	s := h.Subscribe(&Viewer{PrincipalID: 1, Everything: true})
	for i := 0; i <= SubscriberBuffer; i++ {
		h.Publish([]eventlog.Event{ev(int64(i+1), "x", nil)})
	}
	n := 0
	for range s.C { // closed after the buffered events
		n++
	}
	if n != SubscriberBuffer {
		t.Fatalf("got %d events before the drop", n)
	}
	h.Unsubscribe(s) // safe after a drop
}

func TestAgentIsAwayOnlyAfterAllSocketsAreGoneForTheGraceTime(t *testing.T) {
	clk := clock.NewFake(time.Unix(0, 0))
	h := NewHub(clk, 30*time.Second)
	var away, back atomic.Int32
	h.OnAway = func(int64) { away.Add(1) }
	back2 := make(chan struct{}, 1)
	h.OnBack = func(int64) { back.Add(1); back2 <- struct{}{} }
	a := h.Subscribe(&Viewer{PrincipalID: 7})
	b := h.Subscribe(&Viewer{PrincipalID: 7})
	h.Unsubscribe(a)
	clk.Advance(time.Minute)
	if away.Load() != 0 {
		t.Fatal("away with a socket still open")
	}
	h.Unsubscribe(b)
	clk.Advance(29 * time.Second)
	// A reconnect within the grace time cancels it.
	c := h.Subscribe(&Viewer{PrincipalID: 7})
	clk.Advance(time.Minute)
	if away.Load() != 0 {
		t.Fatal("away despite reconnecting in time")
	}
	h.Unsubscribe(c)
	clk.Advance(30 * time.Second)
	if away.Load() != 1 {
		t.Fatalf("away called %d times", away.Load())
	}
	h.Subscribe(&Viewer{PrincipalID: 7})
	<-back2
	if back.Load() != 1 {
		t.Fatal("not back")
	}
}

func TestAMatchingViewerGetsExactlyWhatItMatchesAndIsNoPresence(t *testing.T) {
	clk := clock.NewFake(time.Unix(0, 0))
	h := NewHub(clk, time.Minute)
	var away atomic.Int32
	h.OnAway = func(int64) { away.Add(1) }
	widget := h.Subscribe(&Viewer{Match: func(e eventlog.Event) bool { return e.Type == "message.sent" }})
	h.Publish([]eventlog.Event{
		ev(1, "message.sent", map[string]any{"queue_id": 1}),
		ev(2, "interaction.note_added", map[string]any{"queue_id": 1}),
		ev(3, "message.sent", map[string]any{"queue_id": 2}),
	})
	if len(widget.C) != 2 || (<-widget.C).ID != 1 || (<-widget.C).ID != 3 {
		t.Fatal("matching viewer got the wrong events")
	}
	if h.Connected(0) != 0 {
		t.Fatal("a widget counted as a principal's screen")
	}
	h.Unsubscribe(widget)
	clk.Advance(2 * time.Minute)
	if away.Load() != 0 {
		t.Fatal("a widget leaving declared someone away")
	}
}

func TestAViewerFollowingOneInteractionIsAskedOnlyAboutIt(t *testing.T) {
	h := NewHub(clock.NewFake(time.Unix(0, 0)), time.Minute)
	var asked atomic.Int32
	follow := func(id int64) *Viewer {
		return &Viewer{Interaction: id, Match: func(e eventlog.Event) bool {
			asked.Add(1)
			return e.Type == "message.sent"
		}}
	}
	chat1, chat2, again1 := h.Subscribe(follow(1)), h.Subscribe(follow(2)), h.Subscribe(follow(1))
	admin := h.Subscribe(&Viewer{PrincipalID: 1, Everything: true})
	about := func(id, subject int64, typ string) eventlog.Event {
		e := ev(id, typ, nil)
		e.SubjectID = &subject
		return e
	}
	h.Publish([]eventlog.Event{about(1, 1, "message.sent"), about(2, 2, "message.sent"), about(3, 1, "interaction.tags_changed"),
		{ID: 4, Type: "setting.changed", SubjectType: "setting", Data: []byte(`{}`)}})
	if asked.Load() != 5 { // chat 1 twice about events 1 and 3, chat 2 once about event 2
		t.Fatalf("Match asked %d times", asked.Load())
	}
	if len(chat1.C) != 1 || len(again1.C) != 1 || len(chat2.C) != 1 || len(admin.C) != 4 {
		t.Fatalf("got %d, %d, %d, %d events", len(chat1.C), len(again1.C), len(chat2.C), len(admin.C))
	}
	if (<-chat2.C).ID != 2 {
		t.Fatal("chat 2 got another chat's message")
	}
	h.Unsubscribe(chat1)
	h.Publish([]eventlog.Event{about(5, 1, "message.sent")})
	if len(again1.C) != 2 || len(h.byInteraction[1]) != 1 {
		t.Fatal("the other subscriber of chat 1 lost its place")
	}
	h.Unsubscribe(again1)
	if _, left := h.byInteraction[1]; left {
		t.Fatal("an interaction without subscribers stays indexed")
	}
}

func TestWithQueueWorkersADesktopIsAskedOnlyAboutItsQueuesAndItself(t *testing.T) {
	h := NewHub(clock.NewFake(time.Unix(0, 0)), time.Minute)
	works := map[int64][]int64{7: {1, 2}, 8: {2}, 9: {3}}
	h.QueueWorkers = func(q int64) []int64 {
		var out []int64
		for _, a := range []int64{7, 8, 9} {
			if slices.Contains(works[a], q) {
				out = append(out, a)
			}
		}
		return out
	}
	asked := map[int64]int{}
	desktop := func(id int64) *Viewer {
		return &Viewer{PrincipalID: id, Works: func(q int64) bool {
			asked[id]++
			return slices.Contains(works[id], q)
		}}
	}
	agent7, agent8, agent9 := h.Subscribe(desktop(7)), h.Subscribe(desktop(8)), h.Subscribe(desktop(9))
	again7 := h.Subscribe(desktop(7)) // a second tab
	sup := h.Subscribe(&Viewer{PrincipalID: 50, Supervises: func(q int64) bool { return q == 2 }})
	seven, eight := int64(7), int64(8)
	h.Publish([]eventlog.Event{
		ev(1, "interaction.created", map[string]any{"queue_id": 1}),
		ev(2, "interaction.offered", map[string]any{"queue_id": 2, "agent_id": 7, "private": true}),
		ev(3, "message.received", map[string]any{"queue_id": 2, "agent_id": 8}), // named and working it: once
		{ID: 4, Type: "agent.paused", SubjectType: "agent", SubjectID: &eight, Data: []byte(`{}`)},
		{ID: 5, Type: "client_log.changed", SubjectType: "principal", SubjectID: &seven, Data: []byte(`{}`)},
		{ID: 6, Type: "setting.changed", SubjectType: "setting", Data: []byte(`{}`)},
	})
	want := map[*Subscriber][]int64{agent7: {1, 2, 3, 5}, again7: {1, 2, 3, 5}, agent8: {3, 4}, agent9: nil, sup: {2, 3}}
	for s, ids := range want {
		var got []int64
		for len(s.C) > 0 {
			got = append(got, (<-s.C).ID)
		}
		if !slices.Equal(got, ids) {
			t.Fatalf("viewer %d got %v, want %v", s.Viewer.PrincipalID, got, ids)
		}
	}
	if asked[9] != 0 {
		t.Fatalf("agent 9 works none of these queues, yet was asked %d times", asked[9])
	}
	h.Unsubscribe(agent7)
	h.Publish([]eventlog.Event{ev(7, "interaction.created", map[string]any{"queue_id": 1})})
	if len(again7.C) != 1 || len(agent7.C) != 0 {
		t.Fatal("the other tab of agent 7 lost its place, or the closed one still gets events")
	}
	h.Unsubscribe(again7)
	if _, left := h.byPrincipal[7]; left {
		t.Fatal("a principal without screens stays indexed")
	}
}

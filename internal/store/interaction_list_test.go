package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// listIDs lists, as an admin would, the ids of the interactions f selects.
func listIDs(t *testing.T, db *store.DB, f store.InteractionFilter) []int64 {
	t.Helper()
	f.Scope.All = true
	page, err := db.InteractionList(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range page.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// TestTextSearchFollowsEveryChange: the full-text indexes follow messages
// and interactions as they are written, changed and deleted, without the
// writing code knowing about them.
func TestTextSearchFollowsEveryChange(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		q := mustQueue(t, db, "Chat", staff.Chat)
		a, err := db.CreateInteraction(ctx, "chat", store.NewInteraction{QueueID: q.ID, Subject: "Broken kettle",
			ContactName: "Anna Bianchi", ContactKey: "anna@example.com", Body: "The lid cracked"}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateInteraction(ctx, "chat", store.NewInteraction{QueueID: q.ID, Subject: "Invoice"}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReceiveMessage(ctx, b.ID, "Serve la fattura, perché è urgente", 0); err != nil {
			t.Fatal(err)
		}
		for query, want := range map[string][]int64{
			"kettle": {a.ID}, "ANNA": {a.ID}, "anna@example.com": {a.ID}, "cracked lid": {a.ID}, "crack": {a.ID},
			"fattura urgente": {b.ID}, "invoice": {b.ID}, "kettle fattura": nil, "nothing": nil,
		} {
			if got := listIDs(t, db, store.InteractionFilter{Query: query}); !slices.Equal(got, want) {
				t.Errorf("%q: got %v, want %v", query, got, want)
			}
		}
		if db.Dialect() == store.SQLite { // FTS5 folds accents; PostgreSQL's 'simple' does not
			if got := listIDs(t, db, store.InteractionFilter{Query: "perche"}); !slices.Equal(got, []int64{b.ID}) {
				t.Errorf("perche: %v", got)
			}
		}
	})
}

// TestTheDefaultListUsesItsIndex: the list a desktop opens (one channel,
// newest activity first, an agent's scope) walks the channel's activity
// index instead of sorting the table, so it stays fast with a million rows.
func TestTheDefaultListUsesItsIndex(t *testing.T) {
	clk := clock.NewFake(t0)
	db := storetest.Open(t, store.SQLite, clk)
	ctx := context.Background()
	for _, f := range []store.InteractionFilter{
		{Scope: store.InteractionScope{Queues: []int64{1, 2}, Principal: 7}, Viewer: 7, Channel: "chat", Desc: true, Limit: 50},
		{Scope: store.InteractionScope{Queues: []int64{1, 2}, Principal: 7}, Viewer: 7, Channel: "chat", Desc: true, Limit: 50,
			Statuses: []string{"open", "closed"}, Cursor: nextCursor(t, db, clk)},
		{Scope: store.InteractionScope{All: true}, Viewer: 1, Desc: true, Limit: 50},
	} {
		plan, err := db.ListQueryPlan(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(plan, "\n")
		want := "interactions_list_activity"
		if f.Channel == "" {
			want = "interactions_activity"
		}
		if !strings.Contains(all, "USING INDEX "+want) || strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("plan does not walk %s:\n%s", want, all)
		}
		if f.Cursor != "" && !strings.Contains(all, "last_activity_at<?") { // a later page seeks, not skips
			t.Errorf("a later page does not seek to its cursor:\n%s", all)
		}
	}
}

// nextCursor is a real cursor of the default chat list.
func nextCursor(t *testing.T, db *store.DB, clk *clock.Fake) string {
	t.Helper()
	ctx := context.Background()
	q := mustQueue(t, db, "Plan chat", staff.Chat)
	for range 2 {
		if _, err := db.CreateInteraction(ctx, "chat", store.NewInteraction{QueueID: q.ID}, 0, 0); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Second)
	}
	page, err := db.InteractionList(ctx, store.InteractionFilter{Scope: store.InteractionScope{All: true}, Channel: "chat",
		Desc: true, Limit: 1})
	if err != nil || page.NextCursor == nil {
		t.Fatalf("no cursor: %v", err)
	}
	return *page.NextCursor
}

// TestAWatchLapsesUnlessRenewed: a watch counts until its time is up; the
// sweep removes lapsed watches and writes one event per interaction.
func TestAWatchLapsesUnlessRenewed(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		q := mustQueue(t, db, "Chat", staff.Chat)
		it, err := db.CreateInteraction(ctx, "chat", store.NewInteraction{QueueID: q.ID}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		anna := mustPrincipal(t, db, auth.KindAgent, "anna", "")
		bruno := mustPrincipal(t, db, auth.KindUser, "bruno", "")
		if started, err := db.Watch(ctx, it.ID, anna.ID, time.Minute); err != nil || !started {
			t.Fatalf("first watch: %v %v", started, err)
		}
		if started, _ := db.Watch(ctx, it.ID, anna.ID, time.Minute); started {
			t.Fatal("a renewal counts as a start")
		}
		if _, err := db.Watch(ctx, it.ID, bruno.ID, time.Minute); err != nil {
			t.Fatal(err)
		}
		clk.Advance(40 * time.Second)
		if _, err := db.Watch(ctx, it.ID, anna.ID, time.Minute); err != nil { // Anna's screen renews, Bruno's does not
			t.Fatal(err)
		}
		clk.Advance(30 * time.Second)
		w, err := db.Watchers(ctx, it.ID)
		if err != nil || len(w) != 1 || w[0].Name != "Full anna" {
			t.Fatalf("watchers after Bruno's lapsed: %v %v", w, err)
		}
		before, _ := db.LastEventID(ctx)
		if n, err := db.ExpireWatches(ctx); err != nil || n != 1 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		evs, err := db.Events(ctx, eventlog.Filter{AfterID: before})
		if err != nil || len(evs) != 1 || evs[0].Type != eventlog.InteractionWatchersChanged {
			t.Fatalf("sweep events %v %v", evs, err)
		}
		var data struct {
			Watching []store.Ref `json:"watching"`
		}
		if err := json.Unmarshal(evs[0].Data, &data); err != nil || len(data.Watching) != 1 || data.Watching[0].ID != anna.ID {
			t.Fatalf("sweep event data %s", evs[0].Data)
		}
		if stopped, err := db.Unwatch(ctx, it.ID, anna.ID); err != nil || !stopped {
			t.Fatalf("unwatch: %v %v", stopped, err)
		}
		if stopped, _ := db.Unwatch(ctx, it.ID, anna.ID); stopped {
			t.Fatal("a second unwatch stopped something")
		}
	})
}

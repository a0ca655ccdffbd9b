package bootstrap

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// The demo's Contact Manager: a list of a dozen customers with custom
// values, the first demo agent editing it and the others reading it.
func TestDemoSeedsCustomersTheAgentsMayUse(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		db := storetest.Open(t, d, clock.NewFake(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)))
		if err := SeedDemo(ctx, db, "http://127.0.0.1:8080", slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			t.Fatal(err)
		}
		page, err := db.SearchContacts(ctx, store.ContactFilter{AllLists: true, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != len(demoPeople) {
			t.Fatalf("%d demo contacts, want %d", len(page.Items), len(demoPeople))
		}
		anna := page.Items[1] // by name: Andrea Mancini, Anna Ferrari, …
		if anna.FirstName != "Anna" || anna.Phone != "+393331002001" || anna.Fields["tier"] != "Gold" || anna.Fields["newsletter"] != true {
			t.Fatalf("Anna Ferrari as seeded: %+v", anna)
		}
		wantAccess := []contacts.Access{contacts.Edit, contacts.Read, contacts.Read}
		for n, p := range DemoAgents[:3] {
			agent, err := db.PrincipalByUsername(ctx, p.Username)
			if err != nil {
				t.Fatal(err)
			}
			lists, err := db.AgentLists(ctx, agent.ID)
			if err != nil {
				t.Fatal(err)
			}
			if lists[anna.ListID] != wantAccess[n] {
				t.Errorf("%s has %q on the customers, want %q", p.Username, lists[anna.ListID], wantAccess[n])
			}
		}
	})
}

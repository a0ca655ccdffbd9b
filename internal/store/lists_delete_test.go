package store_test

import (
	"context"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/store"
)

func TestDeletingAListKeepsItsContactsUnlessTheyAreToGoToo(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		list := mustList(t, db, "Customers")
		for _, name := range []string{"Anna", "Bruno"} {
			if _, err := db.SaveContact(ctx, store.ContactWrite{Contact: &contacts.Contact{ListID: list, FirstName: name}}, 0); err != nil {
				t.Fatal(err)
			}
		}
		err := db.DeleteList(ctx, list, false, 0)
		if !apperr.Is(err, apperr.ListNotEmpty) {
			t.Fatalf("delete without the contacts: %v", err)
		}
		if n, err := db.ListContactCount(ctx, list); err != nil || n != 2 {
			t.Fatalf("after the refusal the list holds %d (%v)", n, err)
		}
		if err := db.DeleteList(ctx, list, true, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.List(ctx, list); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("list still there: %v", err)
		}
		if n, err := db.ListContactCount(ctx, list); err != nil || n != 0 {
			t.Fatalf("contacts left behind: %d (%v)", n, err)
		}
		if err := db.DeleteList(ctx, list, true, 0); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("deleting it again: %v", err)
		}
	})
}

func TestAListARunningImportFillsIsNotDeletedUntilTheImportStops(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		list := mustList(t, db, "Imported")
		if _, err := db.CreateImport(ctx, list, 0, "big.csv"); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteList(ctx, list, true, 0); !apperr.Is(err, apperr.ListInUse) {
			t.Fatalf("delete while importing: %v", err)
		}
		// An import that has not moved for StaleImport was interrupted: it writes no more.
		clk.Advance(store.StaleImport + 1)
		if err := db.DeleteList(ctx, list, false, 0); err != nil {
			t.Fatalf("delete after the import stopped: %v", err)
		}
	})
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// New contacts enter SQLite's full-text index by the statements that
// create them, not by a trigger (migration 00016): each way of creating or
// changing one leaves them found by name, and SQLite's own check finds the
// index and the contacts agreeing.
func TestEveryNewContactIsFoundByNameHoweverItCame(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		customers, others := mustList(t, db, "Customers"), mustList(t, db, "Others")
		saved, err := db.SaveContact(ctx, store.ContactWrite{Contact: &contacts.Contact{ListID: customers, FirstName: "Saverio",
			LastName: "Salvato", Email: "saverio@example.com"}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		// A copy into another list is a new contact too.
		if _, err := db.SaveContact(ctx, store.ContactWrite{Contact: &contacts.Contact{ListID: others, FirstName: "Saverio",
			LastName: "Copiato"}}, 0); err != nil {
			t.Fatal(err)
		}
		im := importFile(t, db, customers, 2, "first_name,last_name,company,email\n"+
			"Ida,Importata,Acme,ida@example.com\n"+
			"Ugo,Ultimo,Beta,\n"+
			"Saverio,Rinominato,,saverio@example.com\n"+ // updates Saverio (another batch than his creation)
			"Zeno,Zelante,Gamma,zeno@example.com\n")
		if im.Counts.Created != 3 || im.Counts.Updated != 1 {
			t.Fatalf("import %+v", im)
		}
		zeno := mustFind(t, db, "zelante", "Zeno")
		if _, err := db.MergeContacts(ctx, store.Merge{Survivor: &contacts.Contact{ID: zeno, ListID: customers,
			FirstName: "Zeno", LastName: "Zelante", Company: "Gamma", Email: "zeno@example.com"}, OtherID: saved.ID}, 0); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string][]string{"importata": {"Ida"}, "ultimo": {"Ugo"}, "acme": {"Ida"},
			"copiato": {"Saverio"}, "rinominato": nil, "salvato": nil, "zelante": {"Zeno"}, "ida@example.com": {"Ida"}} {
			if got := found(t, db, q); !slices.Equal(got, want) {
				t.Errorf("%q finds %v, want %v", q, got, want)
			}
		}
		if db.Dialect() == store.SQLite {
			// rank 1: the index is compared with the contacts' own columns.
			if err := db.Exec(ctx, `INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
				t.Fatalf("the full-text index differs from the contacts: %v", err)
			}
		}
	})
}

// A batch checks once that its list, custom fields and tags are still
// there (on PostgreSQL instead of each row's foreign keys): one whose
// field was deleted since the import began stores nothing.
func TestAnImportBatchWhoseFieldWasDeletedStoresNothing(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		list := mustList(t, db, "Customers")
		field, err := db.SaveListField(ctx, &contacts.Field{ListID: list, Key: "tier", Label: "Tier", Type: "text"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		im, err := db.CreateImport(ctx, list, 0, "late.csv")
		if err != nil {
			t.Fatal(err)
		}
		row := func(name string, values map[int64]string) contacts.ImportRow {
			return contacts.ImportRow{Line: 2, Contact: &contacts.Contact{ListID: list, FirstName: name}, Values: values}
		}
		if err := db.ImportBatch(ctx, im.ID, list, []contacts.ImportRow{row("Primo", map[int64]string{field.ID: "gold"})}, false); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteListField(ctx, list, field.ID, 0); err != nil {
			t.Fatal(err)
		}
		err = db.ImportBatch(ctx, im.ID, list, []contacts.ImportRow{row("Secondo", map[int64]string{field.ID: "gold"})}, false)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.NotFound || ae.Message.Key != "import.list_gone" {
			t.Fatalf("a batch with a deleted field: %v", err)
		}
		if got := found(t, db, "secondo"); got != nil {
			t.Fatalf("stored %v", got)
		}
		if got := found(t, db, "primo"); !slices.Equal(got, []string{"Primo"}) {
			t.Fatalf("the batch before: %v", got)
		}
	})
}

// found is the first names of the contacts a quick search finds.
func found(t *testing.T, db *store.DB, q string) []string {
	t.Helper()
	page, err := db.SearchContacts(context.Background(), store.ContactFilter{AllLists: true, Query: q, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range page.Items {
		got = append(got, c.FirstName)
	}
	return got
}

// mustFind is the id of the one contact a quick search finds, named so.
func mustFind(t *testing.T, db *store.DB, q, firstName string) int64 {
	t.Helper()
	page, err := db.SearchContacts(context.Background(), store.ContactFilter{AllLists: true, Query: q, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].FirstName != firstName {
		t.Fatalf("%q finds %v", q, page.Items)
	}
	return page.Items[0].ID
}

// On PostgreSQL an import ends with its new contacts moved out of the
// full-text index's pending list, which every search would read through.
func TestAFinishedImportLeavesNothingInTheSearchIndexPendingList(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.Postgres, clock.NewFake(t0))
	list := mustList(t, db, "Customers")
	im, err := db.CreateImport(ctx, list, 0, "new.csv")
	if err != nil {
		t.Fatal(err)
	}
	var rows []contacts.ImportRow
	for i := range 300 {
		rows = append(rows, contacts.ImportRow{Line: i + 2, Contact: &contacts.Contact{ListID: list,
			FirstName: fmt.Sprintf("Nome%d", i), LastName: "Rossi", Company: fmt.Sprintf("Ditta %d", i)}})
	}
	if err := db.ImportBatch(ctx, im.ID, list, rows, false); err != nil {
		t.Fatal(err)
	}
	if err := db.ImportFinished(ctx, im.ID, nil); err != nil {
		t.Fatal(err)
	}
	cleaned, err := db.QueryInt(ctx, `SELECT gin_clean_pending_list('contacts_search'::regclass)`)
	if err != nil || cleaned != 0 {
		t.Fatalf("%d pending pages were left after the import (%v)", cleaned, err)
	}
}

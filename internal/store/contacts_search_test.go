package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// quickSearchPages pages through a quick search newest first, limit
// contacts a page, and returns each page's first names.
func quickSearchPages(t *testing.T, db *store.DB, q string, limit int) []string {
	t.Helper()
	var pages []string
	f := store.ContactFilter{AllLists: true, Query: q, Sort: "created", Desc: true, Limit: limit}
	for range 20 {
		page, err := db.SearchContacts(context.Background(), f)
		if err != nil {
			t.Fatalf("%q, cursor %q: %v", q, f.Cursor, err)
		}
		var names []string
		for _, c := range page.Items {
			names = append(names, c.FirstName)
		}
		pages = append(pages, strings.Join(names, " "))
		if page.NextCursor == nil {
			return pages
		}
		f.Cursor = *page.NextCursor
	}
	t.Fatalf("%q: more than 20 pages", q)
	return nil
}

// quickSearchCase is a quick search, paged by limit, and its pages' first
// names.
type quickSearchCase struct {
	q     string
	limit int
	want  []string
}

func (c quickSearchCase) check(t *testing.T, db *store.DB) {
	t.Helper()
	if got := quickSearchPages(t, db, c.q, c.limit); strings.Join(got, " | ") != strings.Join(c.want, " | ") {
		t.Errorf("%q by %d: %q, want %q", c.q, c.limit, got, c.want)
	}
}

func saveContacts(t *testing.T, db *store.DB, list contacts.Contact, names ...[2]string) {
	t.Helper()
	for _, n := range names {
		c := list
		c.FirstName, c.LastName = n[0], n[1]
		if _, err := db.SaveContact(context.Background(), store.ContactWrite{Contact: &c}, 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAQuickSearchListsWholeWordsFirstThenWordStarts(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		list := contacts.Contact{ListID: mustList(t, db, "Customers")}
		saveContacts(t, db, list,
			[2]string{"Anna", "Rossi"}, [2]string{"Bice", "Rossini"}, [2]string{"Carlo", "Rossi"},
			[2]string{"Dario", "Bianchi"}, [2]string{"Ezio", "Rossetti"}, [2]string{"Fabio", "Rossi"},
			[2]string{"Gino", "Rossi Bianchi"})
		for _, c := range []quickSearchCase{
			// Whole words newest first, then the longer words newest first.
			{"rossi", 50, []string{"Gino Fabio Carlo Anna Bice"}},
			{"Rossi", 2, []string{"Gino Fabio", "Carlo Anna", "Bice"}},
			// The whole words end a full page: the next page starts the others.
			{"rossi", 4, []string{"Gino Fabio Carlo Anna", "Bice"}},
			{"ross", 2, []string{"Gino Fabio", "Ezio Carlo", "Bice Anna"}}, // no whole word "ross"
			{"rossi bianchi", 50, []string{"Gino"}},
			{"bianchi ross", 50, []string{"Gino"}}, // the start of a word
			{"carlo r", 50, []string{""}},          // one letter is a whole word only
			{"rossin", 50, []string{"Bice"}},
		} {
			c.check(t, db)
		}
	})
}

// PostgreSQL reads a quick search in windows of the newest contacts (see
// store.newestInWindows): pages must come out the same across its edge.
func TestAQuickSearchPagesAcrossTheWindowsOfNewestContacts(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		db.SetSearchWindow(2)
		list := contacts.Contact{ListID: mustList(t, db, "Customers")}
		var names [][2]string
		for _, first := range strings.Fields("A B C D E F G H I J K L M N O P Q R S T U V W X Y Z") {
			last := "Verdi"
			if len(names)%4 == 0 {
				last = "Rossi"
			}
			names = append(names, [2]string{first, last})
		}
		saveContacts(t, db, list, names...)
		saveContacts(t, db, list, [2]string{"Rossana", "Neri"}) // the newest: a word start only
		for _, c := range []quickSearchCase{
			{"rossi", 50, []string{"Y U Q M I E A"}},
			{"rossi", 3, []string{"Y U Q", "M I E", "A"}},
			{"ross", 3, []string{"Rossana Y U", "Q M I", "E A"}},
			{"rossi", 7, []string{"Y U Q M I E A"}},
			{"verdi", 8, []string{"Z X W V T S R P", "O N L K J H G F", "D C B"}},
		} {
			c.check(t, db)
		}
	})
}

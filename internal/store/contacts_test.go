package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func mustList(t *testing.T, db *store.DB, name string) int64 {
	t.Helper()
	l, err := db.SaveList(context.Background(), &staff.List{Name: name}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return l.ID
}

// importFile imports a CSV file into a list in batches of batchRows.
func importFile(t *testing.T, db *store.DB, listID int64, batchRows int, file string) *store.ContactImport {
	t.Helper()
	ctx := context.Background()
	defs, err := db.ListFields(ctx, listID)
	if err != nil {
		t.Fatal(err)
	}
	im, err := db.CreateImport(ctx, listID, 0, "test.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := (contacts.Phones{Region: "IT"}).Run(ctx, db, contacts.Import{ID: im.ID, ListID: listID, Header: true,
		Fields: defs, BatchRows: batchRows}, strings.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	if im, err = db.ContactImport(ctx, im.ID); err != nil {
		t.Fatal(err)
	}
	return im
}

func TestImportDeduplicatesWithinTheListAcrossBatches(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		customers, others := mustList(t, db, "Customers"), mustList(t, db, "Others")
		// The same number in another list is another contact.
		if _, err := db.SaveContact(ctx, store.ContactWrite{Contact: &contacts.Contact{ListID: others, FirstName: "Elsewhere",
			Phone: "+393331111111"}}, 0); err != nil {
			t.Fatal(err)
		}
		file := "first_name,phone,email\n" +
			"Anna,333 1111111,\n" + // created
			"Bruno,,bruno@example.com\n" + // created
			"Anna B,+39 333 111 1111,anna@example.com\n" + // updates Anna (an earlier batch)
			"Bruno V,347 2222222,BRUNO@example.com\n" + // updates Bruno by email
			"Carla,347 2222222,\n" // updates Bruno again, now by the phone he got
		im := importFile(t, db, customers, 2, file)
		if im.Status != "done" || im.Counts != (contacts.ImportCounts{Total: 5, Processed: 5, Created: 2, Updated: 3}) {
			t.Fatalf("import %+v", im)
		}
		page, err := db.SearchContacts(ctx, store.ContactFilter{ListIDs: []int64{customers}, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range page.Items {
			got = append(got, c.FirstName+"|"+c.Phone+"|"+c.Email)
		}
		if strings.Join(got, ",") != "Anna B|+393331111111|anna@example.com,Carla|+393472222222|bruno@example.com" {
			t.Fatalf("contacts %v", got)
		}
	})
}

func TestImportOfManyRowsKeepsEachRowsValuesWithItsContact(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		list := mustList(t, db, "Big")
		if _, err := db.SaveListField(ctx, &contacts.Field{ListID: list, Key: "code", Label: "Code", Type: "number"}, 0); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("first_name,last_name,code\n")
		const n = 1234 // several statements per batch, rows sorted by name within it
		for i := range n {
			fmt.Fprintf(&b, "N%04d,%c,%d\n", n-i, 'Z'-rune(i%26), i)
		}
		im := importFile(t, db, list, 1000, b.String())
		if im.Counts.Created != n {
			t.Fatalf("import %+v", im)
		}
		f := store.ContactFilter{ListIDs: []int64{list}, Limit: 200}
		seen := 0
		for {
			page, err := db.SearchContacts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.Items {
				var num int
				fmt.Sscanf(c.FirstName, "N%d", &num)
				if want := float64(n - num); c.Fields["code"] != want {
					t.Fatalf("%s has code %v, want %v", c.FirstName, c.Fields["code"], want)
				}
				seen++
			}
			if page.NextCursor == nil {
				break
			}
			f.Cursor = *page.NextCursor
		}
		if seen != n {
			t.Fatalf("paged through %d of %d", seen, n)
		}
	})
}

func TestAnInboundSubjectFindsItsContactByIdentityThenByFields(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		list := mustList(t, db, "Customers")
		q, err := db.CreateQueue(ctx, &staff.Queue{Name: "Chat", Channel: staff.Chat, Strategy: staff.Strategy("ring_all"), AgentTimeout: 30}, 0)
		if err != nil {
			t.Fatal(err)
		}
		save := func(c *contacts.Contact) int64 {
			c.ListID = list
			got, err := db.SaveContact(ctx, store.ContactWrite{Contact: c, Identities: c.Identities != nil}, 0)
			if err != nil {
				t.Fatal(err)
			}
			return got.ID
		}
		save(&contacts.Contact{FirstName: "Field", Mobile: "+393331234567"}) // older, but found by a field only
		byEmail := save(&contacts.Contact{FirstName: "Email", Email: "anna@example.com"})
		byIdentity := save(&contacts.Contact{FirstName: "Identity", Identities: []contacts.Identity{{Kind: "whatsapp", Value: "+393331234567"}}})
		phones := contacts.Phones{Region: "IT"}
		link := func(key string) *int64 {
			it, err := db.CreateInteraction(ctx, "chat", store.NewInteraction{QueueID: q.ID, ContactKey: key,
				With: store.LinkContact(func(ch string) contacts.Subject { return phones.Subject(ch, key, "", nil, nil) })}, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			return it.ContactID
		}
		if id := link("0039 333 1234567"); id == nil || *id != byIdentity {
			t.Fatalf("an identity comes first: %v", id)
		}
		if id := link("Anna@Example.com"); id == nil || *id != byEmail {
			t.Fatalf("by the email field: %v", id)
		}
		if id := link("nobody@example.com"); id != nil {
			t.Fatalf("unknown and no trigger: %v", *id)
		}
	})
}

func TestAdvancedSearchByANameOrANumberFindsExactlyTheContactsSo(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		customers, others := mustList(t, db, "Customers"), mustList(t, db, "Others")
		for _, c := range []contacts.Contact{
			{ListID: customers, FirstName: "Maria", LastName: "De Angelis", Phone: "+393331000001"},
			{ListID: customers, FirstName: "De", LastName: "Angelis"},                     // the words, not the name
			{ListID: customers, FirstName: "Angelis", LastName: "De Luca", Company: "De"}, // the words elsewhere
			{ListID: customers, FirstName: "Ugo", LastName: "D'Angelo", Mobile: "+393331000002"},
			{ListID: customers, FirstName: "Ana", LastName: "López"},
			{ListID: others, FirstName: "Marta", LastName: "De Angelis", Phone: "+393331000003"},
		} {
			if _, err := db.SaveContact(ctx, store.ContactWrite{Contact: &c}, 0); err != nil {
				t.Fatal(err)
			}
		}
		p := contacts.Phones{Region: "IT"}
		for where, want := range map[string]string{
			"last_name:equals:de angelis":   "Maria De Angelis",
			"last_name:equals:D'ANGELO":     "Ugo D'Angelo",
			"last_name:equals:López":        "Ana López",
			"first_name:equals:de":          "De Angelis",
			"company:equals:de":             "Angelis De Luca",
			"last_name:equals:'":            "",
			"phone:equals:333 100 0001":     "Maria De Angelis",
			"phone:equals:333 100 0003":     "", // another list's
			"mobile:equals:+39 333 1000002": "Ugo D'Angelo",
		} {
			c, bad := p.ParseCondition(where, nil)
			if bad != nil {
				t.Fatalf("%s: %v", where, bad)
			}
			page, err := db.SearchContacts(ctx, store.ContactFilter{ListIDs: []int64{customers}, Conditions: []contacts.Condition{c}})
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			var got []string
			for _, it := range page.Items {
				got = append(got, strings.TrimSpace(it.FirstName+" "+it.LastName))
			}
			if strings.Join(got, ", ") != want {
				t.Errorf("%s: %v, want %q", where, got, want)
			}
		}
	})
}

// On SQLite (no statistics) a condition with an index of its own must be
// searched through it, not by walking the list in name order and testing
// each contact: for a rare last name, or a common one with a recent date,
// that walk read most of the list (100–200 ms at 1,000,000 contacts).
func TestSQLiteSearchesANameOrANumberThroughItsIndexNotTheList(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, clock.NewFake(t0))
	list := mustList(t, db, "Customers")
	since, err := db.SaveListField(ctx, &contacts.Field{ListID: list, Key: "customer_since", Label: "Customer since",
		Type: contacts.TypeDate}, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := contacts.Phones{Region: "IT"}
	after, bad := p.ParseCondition("customer_since:after:2025-10-01", []contacts.Field{*since})
	if bad != nil {
		t.Fatalf("date: %v", bad)
	}
	for where, index := range map[string]string{
		"last_name:equals:Montanari":  "contacts_fts",
		"first_name:equals:Anna":      "contacts_fts",
		"company:equals:Verdi S.r.l.": "contacts_fts",
		"phone:equals:333 100 0001":   "contacts_phone",
		"email:equals:a@example.com":  "contacts_email",
	} {
		c, bad := p.ParseCondition(where, nil)
		if bad != nil {
			t.Fatalf("%s: %v", where, bad)
		}
		plan, err := db.ContactQueryPlan(ctx, store.ContactFilter{ListIDs: []int64{list}, Sort: "name",
			Conditions: []contacts.Condition{c, after}})
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		all := strings.Join(plan, "\n")
		if !strings.Contains(all, index) || strings.Contains(all, "contacts_list_name") {
			t.Errorf("%s: the plan does not start from %s:\n%s", where, index, all)
		}
	}
}

func TestAQuickSearchForANumberLooksInTheNumbersOnly(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		list := mustList(t, db, "Customers")
		for _, c := range []contacts.Contact{
			{ListID: list, FirstName: "Anna", Phone: "+393331234567"},
			{ListID: list, FirstName: "Bruno", Mobile: "+393331239999"},
			{ListID: list, FirstName: "Carla", Phone: "+393471234567"},
		} {
			if _, err := db.SaveContact(ctx, store.ContactWrite{Contact: &c}, 0); err != nil {
				t.Fatal(err)
			}
		}
		p := contacts.Phones{Region: "IT"}
		for q, want := range map[string]string{"333 123": "Bruno, Anna", "333-1234567": "Anna", "+39 347 123 4567": "Carla"} {
			page, err := db.SearchContacts(ctx, store.ContactFilter{AllLists: true, Query: q, Phone: p.SearchPrefix(q), Sort: "created", Desc: true})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range page.Items {
				got = append(got, it.FirstName)
			}
			if strings.Join(got, ", ") != want {
				t.Errorf("%q: %v, want %s", q, got, want)
			}
		}
	})
}

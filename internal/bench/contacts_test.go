package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/contacts"
)

func TestContactFileIsTheSameForASeedAndHasEveryKindOfRow(t *testing.T) {
	d := contactData{seed: 7, rows: 3000}
	var a, b bytes.Buffer
	if _, err := d.writeCSV(&a); err != nil {
		t.Fatal(err)
	}
	n, _ := d.writeCSV(&b)
	if a.String() != b.String() || n != int64(a.Len()) {
		t.Fatal("two files from one seed differ")
	}
	recs, err := csv.NewReader(&a).ReadAll()
	if err != nil || len(recs) != 3001 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	created, updated, rejected := d.expected()
	if created+updated+rejected != 3000 || updated < 15 || rejected < 5 {
		t.Fatalf("kinds: %d new, %d duplicates, %d bad", created, updated, rejected)
	}
	// Every new contact's phone, however written, is his own number.
	phones := contacts.Phones{Region: "IT"}
	seen := map[string]int{}
	for i := range d.rows {
		if d.kind(i) != rowNew {
			continue
		}
		c := d.contact(i)
		got, ok := phones.Normalise(recs[i+1][3])
		if !ok || got != c.phoneE164 {
			t.Fatalf("row %d: %q normalises to %q, want %s", i, recs[i+1][3], got, c.phoneE164)
		}
		if j, dup := seen[got]; dup {
			t.Fatalf("rows %d and %d share %s", j, i, got)
		}
		seen[got] = i
	}
	// A duplicate repeats an earlier new contact's number.
	for i := range d.rows {
		if d.kind(i) == rowDuplicate {
			got, _ := phones.Normalise(recs[i+1][3])
			if j := d.duplicateOf(i); j >= i || got != d.contact(j).phoneE164 {
				t.Fatalf("duplicate %d: %s, not row %d's", i, got, j)
			}
		}
	}
}

// TestContactsScenarioAtSmallScale imports 2,000 rows into a real server
// on SQLite and searches them.
func TestContactsScenarioAtSmallScale(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	o := Options{Scenarios: []string{"contacts"}, DBs: []string{"sqlite"}, AdminUser: "admin", QueueSize: 10, Rate: 1,
		ChatLength: time.Second, ContactRows: 2000, Searches: 300, SearchClients: 3, Seed: 1,
		JSON: filepath.Join(dir, "bench.json"), Markdown: filepath.Join(dir, "benchmarks.md"), Command: "test", Out: &out}
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	rep := res.Runs[0]
	c := rep.Contacts
	if c == nil {
		t.Fatalf("no contacts result\n%s", out.String())
	}
	if c.Created != c.ExpectedCreated || c.Updated != c.ExpectedUpdated || c.Rejected != c.ExpectedRejected ||
		c.Created+c.Updated+c.Rejected != 2000 || c.Rejected == 0 || c.Updated == 0 {
		t.Errorf("import counts %+v", c)
	}
	if c.ImportSeconds <= 0 || c.RowsPerSecond <= 0 || c.CSVBytes == 0 {
		t.Errorf("import figures %+v", c)
	}
	if c.Misses != 0 || len(rep.Errors) != 0 {
		t.Errorf("misses %d, errors %v\n%s", c.Misses, rep.Errors, out.String())
	}
	if c.QuickSearch.Count+c.Filters.Count != 300 || c.Filters.Count == 0 || len(c.QuickSearchKinds) < 6 {
		t.Errorf("searches %+v / %+v / %v", c.QuickSearch, c.Filters, c.QuickSearchKinds)
	}
	if rep.Server.CPUSeconds <= 0 || rep.Server.PeakRSS <= 0 {
		t.Errorf("server figures %+v", rep.Server)
	}
	var table bytes.Buffer
	rep.WriteText(&table)
	for _, want := range []string{"== contacts on sqlite", "import", "2000 rows", "quick search", "p95", "phone reformatted",
		"known contacts missed: 0"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("missing %q in\n%s", want, table.String())
		}
	}
}

// TestContactsScenarioReusesTheListOfAKeptDatabase: with --contacts-reuse
// the first run on a kept database imports, the next one searches that
// list without importing again.
func TestContactsScenarioReusesTheListOfAKeptDatabase(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	o := Options{Scenarios: []string{"contacts"}, DBs: []string{"sqlite:" + filepath.Join(dir, "kept.db")},
		AdminUser: "admin", QueueSize: 10, Rate: 1, ChatLength: time.Second, ContactRows: 1000, Searches: 60,
		SearchClients: 2, Seed: 3, ContactsReuse: true, Command: "test", Out: &out}
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for run, wantReused := range []bool{false, true} {
		res, err := Run(ctx, o)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out.String())
		}
		rep := res.Runs[0]
		c := rep.Contacts
		if c.Reused != wantReused || c.Misses != 0 || len(rep.Errors) != 0 || c.QuickSearch.Count == 0 {
			t.Fatalf("run %d: reused %v, misses %d, errors %v, %d quick searches\n%s", run, c.Reused, c.Misses,
				rep.Errors, c.QuickSearch.Count, out.String())
		}
		if imported := c.Created > 0; imported == wantReused {
			t.Errorf("run %d: %d contacts created, reused %v", run, c.Created, c.Reused)
		}
		var table bytes.Buffer
		rep.WriteText(&table)
		if strings.Contains(table.String(), "--contacts-reuse") != wantReused {
			t.Errorf("run %d: the table does not say whether it imported:\n%s", run, table.String())
		}
	}
}

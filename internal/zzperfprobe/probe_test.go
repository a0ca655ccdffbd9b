//go:build perfprobe

// A one-off local measurement of the Contact Manager at 1,000,000 contacts
// (import time, quick-search latency). Not part of the suite.
package zzperfprobe

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
	"github.com/switchboard-cc/switchboard/internal/testpg"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var firsts = strings.Fields("Mario Anna Luca Giulia Marco Sara Paolo Laura Andrea Chiara Francesco Elena Giuseppe Valentina Matteo Martina Alessandro Federica Davide Silvia Simone Alessia Stefano Roberta Lorenzo Francesca Riccardo Ilaria Fabio Giorgia Gabriele Elisa Antonio Serena Roberto Monica Daniele Paola Emanuele Cristina")
var lasts = strings.Fields("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti DeLuca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola DeSantis DAngelo Marchetti Parisi Villa Conte Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala DeAngelis Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi Pellegrino Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra Palmieri Bernardi Martino Fiore DeRosa Ferretti Bellini Basile Riva Donati Piras Vitali Battaglia Sartori Neri Costantini Milani Pagano Ruggiero Sorrentino DAmico Orlando Damico Negri")

func row(i int, r *rand.Rand) (first, last, phone, email string) {
	first, last = firsts[r.IntN(len(firsts))], lasts[r.IntN(len(lasts))]
	num := 3000000000 + int64(i)*7 + 1 // unique mobile numbers
	s := fmt.Sprintf("%d", num)
	switch i % 3 {
	case 0:
		phone = "+39 " + s[:3] + " " + s[3:6] + " " + s[6:]
	case 1:
		phone = s[:3] + "-" + s[3:]
	default:
		phone = "0039" + s
	}
	email = strings.ToLower(first+"."+last) + fmt.Sprint(i) + "@example.com"
	return
}

func writeCSV(t *testing.T, n int) string {
	path := filepath.Join(t.TempDir(), "contacts.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	fmt.Fprintln(w, "first_name,last_name,phone,email,company,tier")
	for i := 0; i < n; i++ {
		a, b, c, d := row(i, r)
		fmt.Fprintf(w, "%s,%s,%s,%s,Company %d,%s\n", a, b, c, d, i%5000, []string{"Gold", "Silver", ""}[i%3])
	}
	w.Flush()
	f.Close()
	return path
}

var staffList = staff.List{Name: "Probe"}

func TestProbe(t *testing.T) {
	n := 1_000_000
	if s := os.Getenv("PROBE_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	path := writeCSV(t, n)
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		if os.Getenv("PROBE_ONLY") != "" && os.Getenv("PROBE_ONLY") != string(d) {
			continue
		}
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			var url string
			if d == store.SQLite {
				url = "sqlite:" + filepath.Join(t.TempDir(), "probe.db")
			} else {
				c, err := testpg.Shared()
				if err != nil {
					t.Fatal(err)
				}
				url = c.NewDatabase(t)
			}
			db, err := store.Open(ctx, url, clock.Real{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			for _, q := range strings.Split(os.Getenv("PROBE_SQL_"+string(d)), ";") {
				if q != "" {
					db.ExecForProbe(ctx, q)
				}
			}
			list, err := db.SaveList(ctx, &staffList, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SaveListField(ctx, &contacts.Field{ListID: list.ID, Key: "tier", Label: "Tier", Type: "select", Options: []string{"Gold", "Silver"}}, 0); err != nil {
				t.Fatal(err)
			}
			defs, _ := db.ListFields(ctx, list.ID)
			im, err := db.CreateImport(ctx, list.ID, 0, "probe.csv")
			if err != nil {
				t.Fatal(err)
			}
			f, _ := os.Open(path)
			start := time.Now()
			err = contacts.Phones{Region: "IT"}.Run(ctx, db, contacts.Import{ID: im.ID, ListID: list.ID, Header: true, Fields: defs, BatchRows: probeBatch()}, f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			got, _ := db.ContactImport(ctx, im.ID)
			t.Logf("%s: imported %d rows in %s (%+v)", d, n, took, got.Counts)
			if d == store.Postgres {
				db.ExecForProbe(ctx, "ANALYZE")
			} else {
				db.ExecForProbe(ctx, "ANALYZE")
			}
			if os.Getenv("PROBE_NOSEARCH") != "" {
				return
			}
			r := rand.New(rand.NewPCG(7, 9))
			var qs []string
			for i := 0; i < 400; i++ {
				k := r.IntN(n)
				a, b, c, e := row(k, rand.New(rand.NewPCG(1, 2)))
				_ = a
				switch i % 8 {
				case 0:
					qs = append(qs, firsts[r.IntN(len(firsts))][:3])
				case 1:
					qs = append(qs, firsts[r.IntN(len(firsts))]+" "+lasts[r.IntN(len(lasts))])
				case 2:
					qs = append(qs, lasts[r.IntN(len(lasts))])
				case 3:
					s := fmt.Sprintf("%d", 3000000000+int64(k)*7+1)
					qs = append(qs, s[:3]+" "+s[3:])
				case 4:
					qs = append(qs, c)
				case 5:
					qs = append(qs, e)
				case 6:
					qs = append(qs, fmt.Sprintf("Company %d", r.IntN(5000)))
				default:
					qs = append(qs, b[:4])
				}
			}
			ph := contacts.Phones{Region: "IT"}
			var lat []time.Duration
			hits := 0
			for _, q := range qs {
				s := time.Now()
				page, err := db.SearchContacts(ctx, store.ContactFilter{ListIDs: []int64{list.ID}, Query: q, Phone: ph.SearchPrefix(q), Limit: 50, Sort: "created", Desc: true})
				if err != nil {
					t.Fatal(err)
				}
				lat = append(lat, time.Since(s))
				if len(page.Items) > 0 {
					hits++
				}
			}
			slices.Sort(lat)
			t.Logf("%s: %d quick searches (%d with results): p50 %s p95 %s p99 %s max %s", d, len(lat), hits,
				lat[len(lat)/2], lat[len(lat)*95/100], lat[len(lat)*99/100], lat[len(lat)-1])
			for i := 0; i < 8; i++ {
				var l []time.Duration
				for j := i; j < len(qs); j += 8 {
					s := time.Now()
					db.SearchContacts(ctx, store.ContactFilter{ListIDs: []int64{list.ID}, Query: qs[j], Phone: ph.SearchPrefix(qs[j]), Limit: 50, Sort: "created", Desc: true})
					l = append(l, time.Since(s))
				}
				slices.Sort(l)
				t.Logf("  kind %d (e.g. %q): p50 %s p95 %s", i, qs[i], l[len(l)/2], l[len(l)*95/100])
			}
			// Browsing the list without a query, and its second page.
			s := time.Now()
			p1, _ := db.SearchContacts(ctx, store.ContactFilter{ListIDs: []int64{list.ID}, Limit: 50})
			p2, _ := db.SearchContacts(ctx, store.ContactFilter{ListIDs: []int64{list.ID}, Limit: 50, Cursor: *p1.NextCursor})
			t.Logf("%s: two browse pages in %s (%d+%d)", d, time.Since(s), len(p1.Items), len(p2.Items))
		})
	}
}

func probeBatch() int {
	n := 0
	fmt.Sscan(os.Getenv("PROBE_BATCH"), &n)
	return n
}

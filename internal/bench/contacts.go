package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The contacts scenario: an admin creates a list with two custom fields,
// imports a CSV file of --contacts rows through POST /contact-imports (the
// file made as it is uploaded) and follows it to the end; then a few
// clients run --searches quick searches drawn from the data, and some list
// filters and advanced searches, each answer checked.

// scenario defaults: the scale.
const (
	contactsRows     = 1_000_000
	contactsSearches = 2000
)

// keptAdminPassword is the admin's password on a database kept for
// --contacts-reuse: the run that imports creates the admin with it, the
// later runs sign in with it.
const keptAdminPassword = "Bench-Admin-kept-1"

// ContactsResult is what the contacts scenario measured.
type ContactsResult struct {
	Rows     int   `json:"rows"`
	Reused   bool  `json:"reused"` // --contacts-reuse: the list of an earlier run searched, no import
	CSVBytes int64 `json:"csv_bytes"`

	Created          int `json:"created"`
	Updated          int `json:"updated"`
	Rejected         int `json:"rejected"`
	ExpectedCreated  int `json:"expected_created"`
	ExpectedUpdated  int `json:"expected_updated"`
	ExpectedRejected int `json:"expected_rejected"`

	UploadSeconds    float64 `json:"upload_seconds"` // the file sent and stored by the server
	ImportSeconds    float64 `json:"import_seconds"` // from the upload's start to the import finished
	RowsPerSecond    float64 `json:"rows_per_second"`
	ImportCPUSeconds float64 `json:"import_server_cpu_seconds"`

	SearchClients    int                `json:"search_clients"`
	QuickSearch      Latency            `json:"quick_search"`
	QuickSearchKinds map[string]Latency `json:"quick_search_by_kind"`
	Filters          Latency            `json:"filters"` // list pages and advanced searches
	FilterKinds      map[string]Latency `json:"filters_by_kind"`
	Misses           int64              `json:"misses"` // a known contact not found (also counted as errors)
	SearchSeconds    float64            `json:"search_seconds"`
	SearchCPUSeconds float64            `json:"search_server_cpu_seconds"`
}

// contactsRun holds what the scenario's phases share.
type contactsRun struct {
	base   string
	admin  *session
	data   contactData
	listID int64
	errs   *Errors
	out    io.Writer
}

func contactsScenario(ctx context.Context, o Options, t target, admin *session, prof profiles, rep *Report,
	errs *Errors) error {
	rows, searches := o.ContactRows, o.Searches
	if rows == 0 {
		rows = contactsRows
	}
	if searches == 0 {
		searches = contactsSearches
	}
	clients := max(o.SearchClients, 1)
	rep.Params.Rows, rep.Params.Searches, rep.Params.SearchClients, rep.Params.Seed = rows, searches, clients, o.Seed
	run := &contactsRun{base: t.URL(), admin: admin, data: contactData{seed: uint64(o.Seed), rows: rows}, errs: errs, out: o.Out}
	setupStart := time.Now()
	reused := false
	if o.ContactsReuse {
		var err error
		if reused, err = run.findImportedList(ctx); err != nil {
			return err
		}
	}
	if !reused {
		if err := run.createList(ctx, runPrefix()); err != nil {
			return err
		}
	}
	rep.SetupSeconds = time.Since(setupStart).Seconds()

	res := &ContactsResult{Rows: rows, SearchClients: clients, Reused: reused}
	res.ExpectedCreated, res.ExpectedUpdated, res.ExpectedRejected = run.data.expected()
	w, err := openWindow(ctx, t, prof)
	if err != nil {
		return err
	}
	if reused {
		fmt.Fprintf(o.Out, "  searching list %d, imported by an earlier run (--contacts-reuse)\n", run.listID)
	} else {
		fmt.Fprintf(o.Out, "  importing %d rows (made as they are uploaded)\n", rows)
		if err := run.importFile(ctx, res); err != nil {
			return err
		}
	}
	mid, err := t.usage(ctx)
	if err != nil {
		return err
	}
	res.ImportCPUSeconds = round1(mid.CPUSeconds - w.u0.CPUSeconds)
	fmt.Fprintf(o.Out, "  %d searches from %d clients\n", searches, clients)
	started := time.Now()
	run.search(ctx, searches, clients, res)
	res.SearchSeconds = round1(time.Since(started).Seconds())
	if err := w.close(ctx, rep, prof); err != nil {
		return err
	}
	res.SearchCPUSeconds = round1(rep.Server.CPUSeconds - res.ImportCPUSeconds)
	rep.Contacts = res
	return nil
}

// createList makes the scenario's list with its custom fields.
func (r *contactsRun) createList(ctx context.Context, prefix string) error {
	var l struct {
		ID int64 `json:"id"`
	}
	if err := r.admin.call(ctx, "POST", "/api/v1/lists", map[string]any{"name": prefix + " customers",
		"description": r.listDescription()}, &l); err != nil {
		return fmt.Errorf("create list: %w", err)
	}
	r.listID = l.ID
	for _, f := range []map[string]any{
		{"key": "segment", "label": "Segment", "type": "select", "options": segments},
		{"key": "customer_since", "label": "Customer since", "type": "date"},
	} {
		if err := r.admin.call(ctx, "POST", "/api/v1/lists/"+strconv.FormatInt(l.ID, 10)+"/fields", f, nil); err != nil {
			return fmt.Errorf("create field %s: %w", f["key"], err)
		}
	}
	return nil
}

// listDescription marks the scenario's list with what its file was made
// from, so a later run with --contacts-reuse finds a list of the same file.
func (r *contactsRun) listDescription() string {
	return fmt.Sprintf("switchboard bench: contacts scenario, %d rows, seed %d", r.data.rows, r.data.seed)
}

// findImportedList looks for the newest list an earlier run imported the
// same file into (a kept database: --db sqlite:PATH or a postgres:// URL)
// and takes it when the file's last new contact is in it, i.e. when that
// import went to its end.
func (r *contactsRun) findImportedList(ctx context.Context) (bool, error) {
	var lists struct {
		Items []struct {
			ID          int64  `json:"id"`
			Description string `json:"description"`
		} `json:"items"`
	}
	if err := r.admin.call(ctx, "GET", "/api/v1/lists", nil, &lists); err != nil {
		return false, fmt.Errorf("lists: %w", err)
	}
	last := r.data.rows - 1
	for r.data.kind(last) != rowNew {
		last--
	}
	c := r.data.contact(last)
	for _, l := range slices.Backward(lists.Items) {
		if l.Description != r.listDescription() {
			continue
		}
		var page struct {
			Items []searchItem `json:"items"`
		}
		params := url.Values{"list_id": {strconv.FormatInt(l.ID, 10)}, "q": {c.phoneE164}}
		if err := r.admin.call(ctx, "GET", "/api/v1/contacts?"+params.Encode(), nil, &page); err != nil {
			return false, fmt.Errorf("look for the last contact: %w", err)
		}
		if slices.ContainsFunc(page.Items, func(it searchItem) bool { return it.Phone == c.phoneE164 || it.Mobile == c.phoneE164 }) {
			r.listID = l.ID
			return true, nil
		}
	}
	fmt.Fprintln(r.out, "  --contacts-reuse: no complete list of this file yet; importing it")
	return false, nil
}

// importStatus is what GET /contact-imports/{id} answers.
type importStatus struct {
	ID      int64   `json:"id"`
	Status  string  `json:"status"`
	Failure *string `json:"failure"`
	Counts  struct {
		Total, Processed, Created, Updated, Rejected int
	} `json:"counts"`
}

// importFile uploads the file as it is made and follows the import to its
// end.
func (r *contactsRun) importFile(ctx context.Context, res *ContactsResult) error {
	body, contentType, written := r.streamCSV()
	req, err := http.NewRequestWithContext(ctx, "POST", r.base+"/api/v1/contact-imports", body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Cookie", r.admin.cookie)
	req.Header.Set("X-CSRF-Token", r.admin.csrf)
	start := time.Now()
	// Its own client: a million rows may take longer to send than the
	// shared client's time limit for a request.
	hc := &http.Client{Transport: r.admin.hc.Transport}
	var im importStatus
	_, err = doRequest(hc, req, &im)
	body.Close()
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	res.UploadSeconds = round1(time.Since(start).Seconds())
	res.CSVBytes = <-written
	lastPrint := time.Now()
	for im.Status == "running" {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if err := r.admin.call(ctx, "GET", "/api/v1/contact-imports/"+strconv.FormatInt(im.ID, 10), nil, &im); err != nil {
			r.errs.Add(errorKind("import status", err))
			continue
		}
		if time.Since(lastPrint) >= 5*time.Second {
			fmt.Fprintf(r.out, "  %d/%d rows imported\n", im.Counts.Processed, im.Counts.Total)
			lastPrint = time.Now()
		}
	}
	elapsed := time.Since(start).Seconds()
	res.ImportSeconds = round1(elapsed)
	res.RowsPerSecond = float64(int(float64(res.Rows) / elapsed))
	res.Created, res.Updated, res.Rejected = im.Counts.Created, im.Counts.Updated, im.Counts.Rejected
	if im.Status != "done" {
		reason := ""
		if im.Failure != nil {
			reason = *im.Failure
		}
		return fmt.Errorf("the import %s: %s", im.Status, reason)
	}
	if res.Created != res.ExpectedCreated || res.Updated != res.ExpectedUpdated || res.Rejected != res.ExpectedRejected {
		r.errs.Add("import counts differ from the file's")
	}
	return nil
}

// streamCSV makes the upload's body: the multipart form with the list and
// the file, written by a goroutine as the request reads it. written gets
// the file's size once it is all sent.
func (r *contactsRun) streamCSV() (body io.ReadCloser, contentType string, written <-chan int64) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	n := make(chan int64, 1)
	go func() {
		var size int64
		err := mw.WriteField("list_id", strconv.FormatInt(r.listID, 10))
		if err == nil {
			var part io.Writer
			if part, err = mw.CreateFormFile("file", "bench-contacts.csv"); err == nil {
				size, err = r.data.writeCSV(part)
			}
		}
		if err == nil {
			err = mw.Close()
		}
		n <- size
		pw.CloseWithError(err)
	}()
	return pr, mw.FormDataContentType(), n
}

// ---- searches

// searchQuery is one search and how its answer is checked.
type searchQuery struct {
	kind   string // first name, phone reformatted, …
	params url.Values
	filter bool // a list page or an advanced search, not a quick search
	// check tells whether an answer is right; false is a miss.
	check func(items []searchItem) bool
}

type searchItem struct {
	ID        int64          `json:"id"`
	FirstName string         `json:"first_name"`
	LastName  string         `json:"last_name"`
	Company   string         `json:"company"`
	Phone     string         `json:"phone"`
	Mobile    string         `json:"mobile"`
	Email     string         `json:"email"`
	Fields    map[string]any `json:"fields"`
}

// search runs n queries from clients at once and records the latencies
// and misses.
func (r *contactsRun) search(ctx context.Context, n, clients int, res *ContactsResult) {
	queries := make([]searchQuery, n)
	pick := rand.New(rand.NewPCG(r.data.seed, 42))
	for k := range queries {
		queries[k] = r.query(pick)
	}
	var quick, filters Samples
	kinds := map[string]*Samples{}
	for _, q := range queries {
		if kinds[q.kind] == nil {
			kinds[q.kind] = &Samples{}
		}
	}
	var misses atomic.Int64
	var once sync.Once
	_ = parallel(ctx, n, clients, func(ctx context.Context, k int) error {
		q := queries[k]
		var page struct {
			Items []searchItem `json:"items"`
		}
		start := time.Now()
		err := r.admin.call(ctx, "GET", "/api/v1/contacts?"+q.params.Encode(), nil, &page)
		took := time.Since(start)
		if err != nil {
			r.errs.Add(errorKind("search", err))
			return nil
		}
		if q.filter {
			filters.Add(took)
		} else {
			quick.Add(took)
		}
		kinds[q.kind].Add(took)
		if !q.check(page.Items) {
			misses.Add(1)
			r.errs.Add("search miss: " + q.kind)
			once.Do(func() { fmt.Fprintf(r.out, "  first miss: %s %s\n", q.kind, q.params.Encode()) })
		}
		return nil
	})
	res.QuickSearch, res.Filters = quick.Summary(), filters.Summary()
	res.QuickSearchKinds, res.FilterKinds = map[string]Latency{}, map[string]Latency{}
	for _, q := range queries {
		if q.filter {
			res.FilterKinds[q.kind] = kinds[q.kind].Summary()
		} else {
			res.QuickSearchKinds[q.kind] = kinds[q.kind].Summary()
		}
	}
	res.Misses = misses.Load()
}

// query draws one search from the data: a new contact of the file and
// something of his a person would type.
func (r *contactsRun) query(pick *rand.Rand) searchQuery {
	d := r.data
	i := pick.IntN(d.rows)
	for d.kind(i) != rowNew {
		i = (i + 1) % d.rows
	}
	c := d.contact(i)
	quick := func(kind, q string, check func([]searchItem) bool) searchQuery {
		return searchQuery{kind: kind, params: url.Values{"q": {q}}, check: check}
	}
	found := func(items []searchItem) bool { return len(items) > 0 }
	hasPhone := func(e164 string) func([]searchItem) bool {
		return func(items []searchItem) bool {
			return slices.ContainsFunc(items, func(it searchItem) bool { return it.Phone == e164 || it.Mobile == e164 })
		}
	}
	switch n := pick.IntN(100); {
	case n < 18:
		return quick("first name", c.first, found)
	case n < 34:
		return quick("last name", c.last, found)
	case n < 44:
		return quick("first and last name", c.first+" "+c.last, found)
	case n < 52 && c.companyWord != "":
		return quick("company word", c.companyWord, found)
	case n < 68:
		// Another formatting than the file's.
		other := formatPhone(c.phoneCountry, c.phoneNational, pick.IntN(8))
		for tries := 0; other == c.phoneShown && tries < 8; tries++ {
			other = formatPhone(c.phoneCountry, c.phoneNational, pick.IntN(8))
		}
		return quick("phone reformatted", other, hasPhone(c.phoneE164))
	case n < 78 && c.phoneCountry == "39":
		digits := c.phoneNational[:6+pick.IntN(3)]
		prefix := "+39" + digits
		return quick("partial phone", digits, func(items []searchItem) bool {
			return len(items) > 0 && !slices.ContainsFunc(items, func(it searchItem) bool {
				return !strings.HasPrefix(it.Phone, prefix) && !strings.HasPrefix(it.Mobile, prefix)
			})
		})
	case n < 92 && c.email != "":
		return quick("email", c.email, func(items []searchItem) bool {
			return slices.ContainsFunc(items, func(it searchItem) bool { return it.Email == c.email })
		})
	}
	return r.filterQuery(pick, c)
}

// filterQuery is a list page or an advanced search on the scenario's list.
func (r *contactsRun) filterQuery(pick *rand.Rand, c sampleContact) searchQuery {
	list := strconv.FormatInt(r.listID, 10)
	found := func(items []searchItem) bool { return len(items) > 0 }
	var where []string
	kind := "list page by name"
	switch pick.IntN(4) {
	case 1:
		kind, where = "segment equals", []string{"segment:equals:" + segments[pick.IntN(len(segments))]}
	case 2:
		kind = "last name and customer since"
		// A day before his: he is among the answers.
		since, _ := time.Parse(time.DateOnly, c.since)
		where = []string{"last_name:equals:" + c.last, "customer_since:after:" + since.AddDate(0, 0, -1).Format(time.DateOnly)}
	case 3:
		where = []string{"phone:equals:" + c.phoneShown}
		return searchQuery{kind: "phone equals", filter: true, params: url.Values{"list_id": {list}, "where": where},
			check: func(items []searchItem) bool {
				return slices.ContainsFunc(items, func(it searchItem) bool { return it.Phone == c.phoneE164 })
			}}
	}
	return searchQuery{kind: kind, filter: true, params: url.Values{"list_id": {list}, "where": where}, check: found}
}

// rows adds the scenario's lines to a report's table.
func (c *ContactsResult) rows(add func(label, format string, args ...any)) {
	if c.Reused {
		add("import", "none: the %d rows an earlier run imported into a kept database (--contacts-reuse)", c.Rows)
	} else {
		add("import", "%d rows (%.0f MiB) in %.1f s: %.0f rows/s; upload %.1f s; server CPU %.1f s; goal < 60 s %s",
			c.Rows, float64(c.CSVBytes)/(1<<20), c.ImportSeconds, c.RowsPerSecond, c.UploadSeconds, c.ImportCPUSeconds,
			verdict(c.ImportSeconds < 60))
		add("import outcome", "%d created, %d updated, %d rejected (the file has %d, %d, %d)", c.Created, c.Updated,
			c.Rejected, c.ExpectedCreated, c.ExpectedUpdated, c.ExpectedRejected)
	}
	quick := latencyCell(c.QuickSearch)
	if c.QuickSearch.Count > 0 {
		quick += "; goal p95 < 20 ms " + verdict(c.QuickSearch.P95 < 20)
	}
	add("quick search", "%s", quick)
	add("quick search p50/p95 by kind", "%s", kindsCell(c.QuickSearchKinds))
	add("list filters, advanced search", "%s", latencyCell(c.Filters))
	add("filters p50/p95 by kind", "%s", kindsCell(c.FilterKinds))
	add("searches", "%d clients, %.1f s, server CPU %.1f s; known contacts missed: %d", c.SearchClients,
		c.SearchSeconds, c.SearchCPUSeconds, c.Misses)
}

func kindsCell(m map[string]Latency) string {
	var kinds []string
	for _, k := range sortedKeys(m) {
		l := m[k]
		kinds = append(kinds, fmt.Sprintf("%s %s/%s ms (n=%d)", k, num(l.P50), num(l.P95), l.Count))
	}
	return strings.Join(kinds, "; ")
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "missed"
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// CSV imports of contacts: the job's row and counts, and each batch of
// rows written in one transaction (see insertImported for how each
// database takes the new contacts best).

// ContactImport is an import job as its importer follows it.
type ContactImport struct {
	ID          int64                 `json:"id"`
	ListID      *int64                `json:"list_id"`
	PrincipalID *int64                `json:"-"`
	Filename    string                `json:"filename"`
	Status      string                `json:"status"` // running, done, failed
	Failure     *apperr.Message       `json:"-"`      // why it failed (the API renders it)
	CreatedAt   time.Time             `json:"created_at"`
	UpdatedAt   time.Time             `json:"-"`
	FinishedAt  *time.Time            `json:"finished_at"`
	Counts      contacts.ImportCounts `json:"counts"`
}

// StaleImport is how long a running import may go without a batch before
// it counts as interrupted (its node stopped mid-way).
const StaleImport = 5 * time.Minute

// CreateImport records a new running import.
func (db *DB) CreateImport(ctx context.Context, listID, principal int64, filename string) (*ContactImport, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `INSERT INTO contact_imports (list_id, principal_id, filename, status, created_at, updated_at)
			VALUES (?, ?, ?, 'running', ?, ?) RETURNING id`, listID, nullID(actorPtr(principal)), filename, tx.now, tx.now).Scan(&id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ContactImportStarted, ActorID: actorPtr(principal),
			SubjectType: "contact_import", SubjectID: &id, Data: eventlog.Data(map[string]any{"principal_id": principal,
				"list_id": listID, "filename": filename})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.ContactImport(ctx, id)
}

// ContactImport returns an import; a running one that has not moved for
// StaleImport is reported failed (interrupted).
func (db *DB) ContactImport(ctx context.Context, id int64) (*ContactImport, error) {
	var im ContactImport
	var failure string
	var list, principal sql.NullInt64
	var finished sql.NullTime
	err := db.queryRow(ctx, `SELECT id, list_id, principal_id, filename, status, total, processed, created, updated, rejected,
		error, created_at, updated_at, finished_at FROM contact_imports WHERE id = ?`, id).Scan(&im.ID, &list, &principal,
		&im.Filename, &im.Status, &im.Counts.Total, &im.Counts.Processed, &im.Counts.Created, &im.Counts.Updated,
		&im.Counts.Rejected, &failure, &im.CreatedAt, &im.UpdatedAt, &finished)
	if err != nil {
		return nil, mapError(err)
	}
	im.ListID, im.PrincipalID, im.FinishedAt = ptrID(list), ptrID(principal), ptrTime(finished)
	if failure != "" {
		var m apperr.Message
		if json.Unmarshal([]byte(failure), &m) == nil {
			im.Failure = wholeArgs(m)
		}
	}
	if im.Status == "running" && db.clock.Now().Sub(im.UpdatedAt) > StaleImport {
		im.Status, im.Failure = "failed", &apperr.Message{Key: "import.interrupted"}
	}
	return &im, nil
}

// ImportStarted records how many rows the file has.
func (db *DB) ImportStarted(ctx context.Context, id int64, total int) error {
	return db.InTx(ctx, func(tx *Tx) error {
		return updated(tx.exec(ctx, `UPDATE contact_imports SET total = ?, updated_at = ? WHERE id = ?`, total, tx.now, id))
	})
}

// ImportFinished ends an import, done or failed (failure says why), and
// announces it.
func (db *DB) ImportFinished(ctx context.Context, id int64, failure *apperr.Message) error {
	status, reason := "done", ""
	if failure != nil {
		status = "failed"
		b, _ := json.Marshal(failure)
		reason = string(b)
	}
	if db.dialect == Postgres {
		// Fresh statistics let the planner weigh searches over what came in
		// (autovacuum would, a minute or more later).
		if _, err := db.exec(ctx, `ANALYZE contacts, contact_values`); err != nil {
			return err
		}
		// New entries of a GIN index wait in its pending list (fastupdate)
		// until it reaches 4 MB or a vacuum comes, and every full-text
		// search reads that list through: right after a million rows the
		// bench's name searches took twice as long as on the same data
		// later. Moving them into the index now is only a speed-up, so
		// a failure (a role that may not) does not fail the import.
		_, _ = db.exec(ctx, `SELECT gin_clean_pending_list('contacts_search'::regclass)`)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		if err := updated(tx.exec(ctx, `UPDATE contact_imports SET status = ?, error = ?, updated_at = ?, finished_at = ?
			WHERE id = ?`, status, reason, tx.now, tx.now, id)); err != nil {
			return err
		}
		return tx.importEvent(ctx, eventlog.ContactImportFinished, id, map[string]any{"status": status})
	})
}

// importEvent announces an import's counts to its importer.
func (tx *Tx) importEvent(ctx context.Context, typ eventlog.Type, id int64, extra map[string]any) error {
	var principal sql.NullInt64
	var c contacts.ImportCounts
	if err := tx.queryRow(ctx, `SELECT principal_id, total, processed, created, updated, rejected FROM contact_imports
		WHERE id = ?`, id).Scan(&principal, &c.Total, &c.Processed, &c.Created, &c.Updated, &c.Rejected); err != nil {
		return mapError(err)
	}
	data := map[string]any{"import_id": id, "principal_id": principal.Int64, "counts": c}
	for k, v := range extra {
		data[k] = v
	}
	err := tx.appendEvent(ctx, eventlog.Event{Type: typ, SubjectType: "contact_import", SubjectID: &id, Data: eventlog.Data(data)})
	return err
}

// importInsertRows is how many rejected rows one INSERT statement
// carries: 2,500 rows of three values stay well under both databases'
// bound on parameters (32,766 and 65,535).
const importInsertRows = 2500

// ImportBatch writes a batch of rows in one transaction: rejected rows
// with their reasons; rows matching a contact of the list (by phone or
// mobile against phone and mobile, or by email), or an earlier row of the
// import, update it; the others are created. The import's counts move
// on, and with announce its importer hears of it.
func (db *DB) ImportBatch(ctx context.Context, importID, listID int64, rows []contacts.ImportRow, announce bool) error {
	// On PostgreSQL the new contacts go in by COPY, on the transaction's
	// own connection.
	return db.inTx(ctx, db.dialect == Postgres, func(tx *Tx) error {
		tx.wroteMuch()
		var c contacts.ImportCounts
		c.Processed = len(rows)
		if err := tx.lockImportParents(ctx, listID, rows); err != nil {
			return err
		}
		if err := tx.insertRejects(ctx, importID, rows); err != nil {
			return err
		}
		existing, err := tx.existingContacts(ctx, listID, rows)
		if err != nil {
			return err
		}
		var fresh []*contacts.ImportRow
		updates := importUpdates{rows: map[int64]*contacts.ImportRow{}}
		for i := range rows {
			row := &rows[i]
			switch {
			case row.Reasons != nil:
				c.Rejected++
			case existing.match(row.Contact) != 0:
				id := existing.match(row.Contact)
				updates.add(id, row)
				existing.known(id, row.Contact) // its new number finds it too
				c.Updated++
			default:
				// A later row of this batch with the same number or address
				// updates this one, as one of a later batch would.
				if prev := existing.pending(row.Contact); prev != nil {
					mergeRow(prev, row)
					existing.add(prev)
					c.Updated++
					continue
				}
				existing.add(row)
				fresh = append(fresh, row)
				c.Created++
			}
		}
		if err := tx.updateFromImport(ctx, updates); err != nil {
			return err
		}
		// In name order: the name indexes then take them page after page
		// instead of all over (a batch is thousands of rows).
		byName(fresh)
		if err := tx.insertImported(ctx, listID, fresh); err != nil {
			return err
		}
		if err := updated(tx.exec(ctx, `UPDATE contact_imports SET processed = processed + ?, created = created + ?,
			updated = updated + ?, rejected = rejected + ?, updated_at = ? WHERE id = ?`, c.Processed, c.Created, c.Updated,
			c.Rejected, tx.now, importID)); err != nil {
			return err
		}
		if !announce {
			return nil
		}
		return tx.importEvent(ctx, eventlog.ContactImportProgress, importID, nil)
	})
}

func (tx *Tx) insertRejects(ctx context.Context, importID int64, rows []contacts.ImportRow) error {
	var args []any
	for _, r := range rows {
		if r.Reasons == nil {
			continue
		}
		b, err := json.Marshal(r.Reasons)
		if err != nil {
			return err
		}
		args = append(args, importID, r.Line, string(b))
	}
	return tx.insertRows(ctx, `INSERT INTO contact_import_rejects (import_id, line, reasons) VALUES `,
		` ON CONFLICT (import_id, line) DO NOTHING`, 3, args)
}

// insertRows runs head + "(…), (…)" + tail for rows of width values
// (args, row after row), importInsertRows rows a statement, the full-size
// statement prepared once.
func (tx *Tx) insertRows(ctx context.Context, head, tail string, width int, args []any) error {
	n := len(args) / width
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	statement := func(k int) string {
		tuples := make([]string, k)
		for i := range tuples {
			tuples[i] = "(" + placeholders(width) + ")"
		}
		return head + strings.Join(tuples, ", ") + tail
	}
	for start := 0; start < n; start += importInsertRows {
		k := min(importInsertRows, n-start)
		stmt := full
		if k < importInsertRows || full == nil {
			st, err := tx.prepare(ctx, statement(k))
			if err != nil {
				return err
			}
			if k == importInsertRows {
				full = st
			} else {
				defer st.Close()
			}
			stmt = st
		}
		if _, err := stmt.ExecContext(ctx, args[start*width:(start+k)*width]...); err != nil {
			return err
		}
	}
	return nil
}

// dedup finds the contact a row is: by number or address, among the
// list's contacts and the rows created earlier in the batch.
type dedup struct {
	byPhone, byEmail map[string]int64
	rowPhone         map[string]*contacts.ImportRow
	rowEmail         map[string]*contacts.ImportRow
}

func (d *dedup) match(c *contacts.Contact) int64 {
	for _, p := range []string{c.Phone, c.Mobile} {
		if id := d.byPhone[p]; p != "" && id != 0 {
			return id
		}
	}
	if id := d.byEmail[c.Email]; c.Email != "" && id != 0 {
		return id
	}
	return 0
}

// known records the numbers and address of a contact of the list.
func (d *dedup) known(id int64, c *contacts.Contact) {
	for _, p := range []string{c.Phone, c.Mobile} {
		if p != "" && d.byPhone[p] == 0 {
			d.byPhone[p] = id
		}
	}
	if c.Email != "" && d.byEmail[c.Email] == 0 {
		d.byEmail[c.Email] = id
	}
}

func (d *dedup) pending(c *contacts.Contact) *contacts.ImportRow {
	for _, p := range []string{c.Phone, c.Mobile} {
		if r := d.rowPhone[p]; p != "" && r != nil {
			return r
		}
	}
	if r := d.rowEmail[c.Email]; c.Email != "" && r != nil {
		return r
	}
	return nil
}

func (d *dedup) add(r *contacts.ImportRow) {
	for _, p := range []string{r.Contact.Phone, r.Contact.Mobile} {
		if p != "" {
			d.rowPhone[p] = r
		}
	}
	if r.Contact.Email != "" {
		d.rowEmail[r.Contact.Email] = r
	}
}

// existingContacts loads the list's contacts that share a number or an
// address with the batch's rows.
func (tx *Tx) existingContacts(ctx context.Context, listID int64, rows []contacts.ImportRow) (*dedup, error) {
	d := &dedup{byPhone: map[string]int64{}, byEmail: map[string]int64{}, rowPhone: map[string]*contacts.ImportRow{},
		rowEmail: map[string]*contacts.ImportRow{}}
	phones, emails := map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		if r.Contact == nil {
			continue
		}
		for _, p := range []string{r.Contact.Phone, r.Contact.Mobile} {
			if p != "" {
				phones[p] = true
			}
		}
		if r.Contact.Email != "" {
			emails[r.Contact.Email] = true
		}
	}
	// By number and address alone, so each lookup is an index probe (a
	// condition on the list would let the planner walk the whole list);
	// rows of other lists are dropped here. One statement per column, its
	// values in one parameter: statements of a few hundred placeholders
	// each cost more to prepare than to run.
	for _, look := range []struct {
		col    string
		values map[string]bool
	}{{"phone", phones}, {"mobile", phones}, {"email", emails}} {
		if len(look.values) == 0 {
			continue
		}
		in, arg := tx.db.oneOf(look.col, keys(look.values))
		if err := tx.collectExisting(ctx, d, listID, `SELECT id, list_id, phone, mobile, email FROM contacts
			WHERE `+look.col+` <> '' AND `+in, []any{arg}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// oneOf is the condition that col is one of values (a slice of strings
// or numbers), and its one argument: a JSON array read by json_each on
// SQLite, an array on PostgreSQL.
func (db *DB) oneOf(col string, values any) (string, any) {
	if db.dialect == Postgres {
		return col + " = ANY(?)", values
	}
	b, _ := json.Marshal(values)
	return col + " IN (SELECT value FROM json_each(?))", string(b)
}

func (tx *Tx) oneOf(col string, values any) (string, any) { return tx.db.oneOf(col, values) }

// collectExisting adds the contacts of the list a lookup finds; the
// oldest contact wins a number or an address.
func (tx *Tx) collectExisting(ctx context.Context, d *dedup, listID int64, q string, args []any) error {
	res, err := tx.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer res.Close()
	for res.Next() {
		var id, list int64
		var phone, mobile, email string
		if err := res.Scan(&id, &list, &phone, &mobile, &email); err != nil {
			return err
		}
		if list != listID {
			continue
		}
		for _, p := range []string{phone, mobile} {
			if old := d.byPhone[p]; p != "" && (old == 0 || id < old) {
				d.byPhone[p] = id
			}
		}
		if old := d.byEmail[email]; email != "" && (old == 0 || id < old) {
			d.byEmail[email] = id
		}
	}
	return res.Err()
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// mergeRow lays a later row over an earlier one of the same contact: what
// it gives replaces what the earlier gave.
func mergeRow(into, from *contacts.ImportRow) {
	overlay(into.Contact, from.Contact)
	for id, v := range from.Values {
		into.Values[id] = v
	}
	for _, t := range from.TagIDs {
		if !slices.Contains(into.TagIDs, t) {
			into.TagIDs = append(into.TagIDs, t)
		}
	}
}

// overlay copies the own fields src has onto dst.
func overlay(dst, src *contacts.Contact) {
	for _, f := range []struct {
		d *string
		s string
	}{{&dst.FirstName, src.FirstName}, {&dst.LastName, src.LastName},
		{&dst.Company, src.Company}, {&dst.Phone, src.Phone}, {&dst.Mobile, src.Mobile}, {&dst.Fax, src.Fax},
		{&dst.Email, src.Email}} {
		if f.s != "" {
			*f.d = f.s
		}
	}
}

// importUpdates are the rows of a batch that update contacts of the list,
// laid over one another by contact (in the order they came).
type importUpdates struct {
	ids  []int64
	rows map[int64]*contacts.ImportRow
}

func (u *importUpdates) add(id int64, row *contacts.ImportRow) {
	into := u.rows[id]
	if into == nil {
		into = &contacts.ImportRow{Contact: &contacts.Contact{}, Values: map[int64]string{}}
		u.rows[id], u.ids = into, append(u.ids, id)
	}
	mergeRow(into, row)
}

// updateFromImport lays the updating rows over their contacts: the fields
// and custom values a row has replace the contact's; its tags are added
// to the contact's. One statement for all the contacts, one for their
// values and one for their tags: on SQLite each statement that changes a
// name flushes what the full-text index holds into a segment of its own
// (three quarters of the cost of updating row by row), on PostgreSQL each
// is a round trip.
func (tx *Tx) updateFromImport(ctx context.Context, u importUpdates) error {
	if len(u.ids) == 0 {
		return nil
	}
	people := make([][]any, len(u.ids))
	var values, tags []any
	for n, id := range u.ids {
		c := u.rows[id].Contact
		people[n] = []any{id, c.FirstName, c.LastName, c.Company, c.Phone, c.Mobile, c.Fax, c.Email}
		for fieldID, v := range u.rows[id].Values {
			values = append(values, id, fieldID, v)
		}
		for _, t := range u.rows[id].TagIDs {
			tags = append(tags, id, t)
		}
	}
	list, err := json.Marshal(people)
	if err != nil {
		return err
	}
	elements := `json_each(?) AS j`
	if tx.db.dialect == Postgres {
		elements = `json_array_elements(?::json) AS j(value)`
	}
	if _, err := tx.exec(ctx, `UPDATE contacts SET
		first_name = CASE WHEN u.first_name = '' THEN contacts.first_name ELSE u.first_name END,
		last_name = CASE WHEN u.last_name = '' THEN contacts.last_name ELSE u.last_name END,
		company = CASE WHEN u.company = '' THEN contacts.company ELSE u.company END,
		phone = CASE WHEN u.phone = '' THEN contacts.phone ELSE u.phone END,
		mobile = CASE WHEN u.mobile = '' THEN contacts.mobile ELSE u.mobile END,
		fax = CASE WHEN u.fax = '' THEN contacts.fax ELSE u.fax END,
		email = CASE WHEN u.email = '' THEN contacts.email ELSE u.email END,
		updated_at = ?
		FROM (SELECT CAST(j.value->>0 AS BIGINT) AS id, j.value->>1 AS first_name, j.value->>2 AS last_name,
			j.value->>3 AS company, j.value->>4 AS phone, j.value->>5 AS mobile, j.value->>6 AS fax, j.value->>7 AS email
			FROM `+elements+`) AS u
		WHERE contacts.id = u.id`, tx.now, string(list)); err != nil {
		return err
	}
	if err := tx.insertRows(ctx, `INSERT INTO contact_values (contact_id, field_id, value) VALUES `,
		` ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value`, 3, values); err != nil {
		return err
	}
	return tx.insertRows(ctx, `INSERT INTO contact_tags (contact_id, tag_id) VALUES `,
		` ON CONFLICT (contact_id, tag_id) DO NOTHING`, 2, tags)
}

// insertImported creates the new contacts of a batch, then their custom
// values and tags, and enters them into the full-text index in one go.
//
// On SQLite each row is one run of a prepared statement: a statement that
// writes several rows keeps a statement journal (a copy of every page it
// touches, to undo itself half-way), which was a tenth to a fifth of the
// import's CPU, and a prepared single-row insert costs no more per row.
// The ids are taken after the highest one, as SQLite would give them (the
// batch holds the only writer), so the index fills by one range.
func (tx *Tx) insertImported(ctx context.Context, listID int64, rows []*contacts.ImportRow) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.db.dialect == Postgres {
		return tx.copyImported(ctx, listID, rows)
	}
	var last int64
	if err := tx.queryRow(ctx, `SELECT coalesce(max(id), 0) FROM contacts`).Scan(&last); err != nil {
		return err
	}
	first := last + 1
	people := make([]any, 0, len(rows)*11)
	var values, tags []any
	for n, r := range rows {
		c, id := r.Contact, first+int64(n)
		people = append(people, id, listID, c.FirstName, c.LastName, c.Company, c.Phone, c.Mobile, c.Fax, c.Email, tx.now, tx.now)
		for fieldID, v := range r.Values {
			values = append(values, id, fieldID, v)
		}
		for _, t := range r.TagIDs {
			tags = append(tags, id, t)
		}
	}
	if err := tx.insertEach(ctx, `INSERT INTO contacts (id, list_id, first_name, last_name, company, phone, mobile, fax, email,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, 11, people); err != nil {
		return err
	}
	// The values and tags of new contacts only add to the end of their
	// tables (by contact id), so the journal of a multi-row statement holds
	// few pages.
	if err := tx.insertRows(ctx, `INSERT INTO contact_values (contact_id, field_id, value) VALUES `, ``, 3, values); err != nil {
		return err
	}
	if err := tx.insertRows(ctx, `INSERT INTO contact_tags (contact_id, tag_id) VALUES `, ``, 2, tags); err != nil {
		return err
	}
	return tx.indexNewContacts(ctx, first, first+int64(len(rows))-1)
}

// insertEach runs a single-row insert of width values for each row of args
// (row after row), prepared once.
func (tx *Tx) insertEach(ctx context.Context, q string, width int, args []any) error {
	if len(args) == 0 {
		return nil
	}
	stmt, err := tx.prepare(ctx, q)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for start := 0; start < len(args); start += width {
		if _, err := stmt.ExecContext(ctx, args[start:start+width]...); err != nil {
			return err
		}
	}
	return nil
}

// ImportReject is a rejected row of an import: its line in the file and
// why (field → message).
type ImportReject struct {
	Line    int
	Reasons map[string]apperr.Message
}

// ImportRejects returns an import's rejected rows by line.
func (db *DB) ImportRejects(ctx context.Context, id int64) ([]ImportReject, error) {
	rows, err := db.query(ctx, `SELECT line, reasons FROM contact_import_rejects WHERE import_id = ? ORDER BY line`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ImportReject{}
	for rows.Next() {
		var r ImportReject
		var raw string
		if err := rows.Scan(&r.Line, &raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &r.Reasons); err != nil {
			return nil, err
		}
		for k, m := range r.Reasons {
			r.Reasons[k] = *wholeArgs(m)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// wholeArgs gives back the whole numbers of a message read from JSON
// (where they became float64), so "%d" renders them.
func wholeArgs(m apperr.Message) *apperr.Message {
	for i, a := range m.Args {
		if f, ok := a.(float64); ok && f == float64(int64(f)) {
			m.Args[i] = int64(f)
		}
	}
	return &m
}

// byName orders rows by their place in the name indexes
// (contacts.name_sort).
func byName(rows []*contacts.ImportRow) {
	type keyed struct {
		key string
		row *contacts.ImportRow
	}
	ks := make([]keyed, len(rows))
	for n, r := range rows {
		ks[n] = keyed{strings.ToLower(strings.TrimSpace(r.Contact.FirstName + " " + r.Contact.LastName)), r}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	for n := range ks {
		rows[n] = ks[n].row
	}
}

// copyImported is insertImported on PostgreSQL: the contacts' ids drawn
// from their sequence first, then the contacts, their custom values and
// tags sent by COPY — a tenth of the work of statements with a quarter of
// a million parameters, for the server and for PostgreSQL.
func (tx *Tx) copyImported(ctx context.Context, listID int64, rows []*contacts.ImportRow) error {
	ids, err := tx.newContactIDs(ctx, len(rows))
	if err != nil {
		return err
	}
	people := make([][]any, len(rows))
	var values, tags [][]any
	for n, r := range rows {
		c := r.Contact
		people[n] = []any{ids[n], listID, c.FirstName, c.LastName, c.Company, c.Phone, c.Mobile, c.Fax, c.Email, tx.now, tx.now}
		for fieldID, v := range r.Values {
			values = append(values, []any{ids[n], fieldID, v})
		}
		for _, t := range r.TagIDs {
			tags = append(tags, []any{ids[n], t})
		}
	}
	// The batch has checked its list, fields and tags (lockImportParents).
	bulk := tx.db.checksInBulk(ctx)
	if bulk {
		if _, err := tx.exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
	}
	if err := tx.copyFrom(ctx, "contacts", []string{"id", "list_id", "first_name", "last_name", "company", "phone", "mobile",
		"fax", "email", "created_at", "updated_at"}, people); err != nil {
		return err
	}
	if err := tx.copyFrom(ctx, "contact_values", []string{"contact_id", "field_id", "value"}, values); err != nil {
		return err
	}
	if err := tx.copyFrom(ctx, "contact_tags", []string{"contact_id", "tag_id"}, tags); err != nil {
		return err
	}
	if !bulk {
		return nil
	}
	_, err = tx.exec(ctx, `SET LOCAL session_replication_role = origin`)
	return err
}

// bulkCheckers remembers, by database, whether checksInBulk said yes.
var bulkCheckers sync.Map

// checksInBulk tells whether an import on PostgreSQL may check its rows'
// references once per batch instead of row by row: the foreign keys'
// checks (a lookup and a row lock for each contact, value and tag) were a
// third of PostgreSQL's work in an import. Turning them off for the COPY
// (session_replication_role) needs a superuser or, from PostgreSQL 15,
//
//	GRANT SET ON PARAMETER session_replication_role TO <the server's role>;
//
// without it the rows are checked one by one, as any insert.
func (db *DB) checksInBulk(ctx context.Context) bool {
	if v, ok := bulkCheckers.Load(db); ok {
		return v.(bool)
	}
	var may bool
	if err := db.queryRow(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&may); err != nil {
		return false
	}
	if !may { // an error: a PostgreSQL before 15, without the privilege
		_ = db.queryRow(ctx, `SELECT has_parameter_privilege('session_replication_role', 'SET')`).Scan(&may)
	}
	bulkCheckers.Store(db, may)
	return may
}

// lockImportParents does for a batch what the foreign keys' checks do for
// each row: it finds the list, the custom fields and the tags the rows
// refer to, and on PostgreSQL locks them against deletion until the batch
// commits (on SQLite the batch is the only writer). A batch whose list,
// field or tag was deleted since the import began stores nothing.
func (tx *Tx) lockImportParents(ctx context.Context, listID int64, rows []contacts.ImportRow) error {
	fields, tags := map[int64]bool{}, map[int64]bool{}
	for _, r := range rows {
		for id := range r.Values {
			fields[id] = true
		}
		for _, id := range r.TagIDs {
			tags[id] = true
		}
	}
	lock := ""
	if tx.db.dialect == Postgres {
		lock = " FOR KEY SHARE"
	}
	for _, parent := range []struct {
		table string
		ids   map[int64]bool
	}{{"lists", map[int64]bool{listID: true}}, {"list_fields", fields}, {"tags", tags}} {
		if len(parent.ids) == 0 {
			continue
		}
		ids := make([]int64, 0, len(parent.ids))
		for id := range parent.ids {
			ids = append(ids, id)
		}
		in, arg := tx.db.oneOf("id", ids)
		var found int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM (SELECT id FROM `+parent.table+` WHERE `+in+lock+`) p`, arg).
			Scan(&found); err != nil {
			return err
		}
		if found != len(ids) {
			return apperr.New(apperr.NotFound, "import.list_gone")
		}
	}
	return nil
}

// newContactIDs draws n ids from the contacts' sequence, in increasing
// order (as a multi-row insert would give them).
func (tx *Tx) newContactIDs(ctx context.Context, n int) ([]int64, error) {
	res, err := tx.query(ctx, `SELECT nextval(pg_get_serial_sequence('contacts', 'id')) FROM generate_series(1, ?)`, n)
	if err != nil {
		return nil, err
	}
	defer res.Close()
	ids := make([]int64, 0, n)
	for res.Next() {
		var id int64
		if err := res.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}

// copyFrom sends rows to a table by PostgreSQL's COPY, in the transaction
// (its connection is the transaction's: see inTx).
func (tx *Tx) copyFrom(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.conn == nil {
		return errors.New("store: copy: the transaction has no connection of its own")
	}
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: copy: a %T is no PostgreSQL connection", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		return err
	})
}

package store

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
)

// Contact search: a quick search over names, company, email and phone
// numbers (full-text indexes and E.164 prefixes), filters by list and
// tags, conditions on fields, keyset pagination by name or creation.

// ContactFilter selects and orders a page of contacts. Every condition is
// AND-ed with the scope: the lists searched (AllLists for every list),
// and for My Contacts only those ManagedBy a principal.
type ContactFilter struct {
	AllLists   bool
	ListIDs    []int64
	ManagedBy  int64
	Query      string
	Phone      string // the E.164 prefix Query means as a phone number ("" when none)
	Only       string // "merge": the quick search looks at names, email and phones only
	TagIDs     []int64
	Conditions []contacts.Condition
	Sort       string // name (""), created (the quick search's fast order)
	Desc       bool
	Limit      int
	Cursor     string
	Except     int64 // leave this contact out (merge candidates)

	// tsquery is Query as PostgreSQL's full-text query (the last word also
	// as a start), tsWhole the same with every word whole; worked out
	// before the search so the planner sees them (see SearchContacts).
	tsquery, tsWhole string
	// newest is one past the newest contact's id, read with tsquery (one
	// round trip): where newestInWindows's first window ends.
	newest int64
	// words narrows the full-text source to one tier of a quick search
	// (see wordTier).
	words wordTier
	// idAbove and idBelow bound the ids searched (0: no bound), for the
	// windows of newestInWindows.
	idAbove, idBelow int64
	// fieldIDs are the custom fields the conditions name, by key, in the
	// lists searched (see conditionFields).
	fieldIDs map[string][]int64
}

// ContactPage is one page of contacts; NextCursor is nil on the last.
type ContactPage struct {
	Items      []*contacts.Contact `json:"items"`
	NextCursor *string             `json:"next_cursor"`
}

var contactSorts = map[string]listSort{
	"name":    {"c.name_sort", 's'},
	"created": {"c.id", 'i'},
}

// SearchContacts returns one page of contacts, complete.
func (db *DB) SearchContacts(ctx context.Context, f ContactFilter) (*ContactPage, error) {
	if db.dialect == Postgres && strings.TrimSpace(f.Query) != "" {
		// The planner must see the query to weigh it: a rare name is best
		// found through the index, a common one by walking the newest
		// contacts; a query it cannot see is neither.
		if err := db.queryRow(ctx, `SELECT `+pgTSQuery+`::text, `+pgTSWhole+`::text,
			(SELECT coalesce(max(id), 0) + 1 FROM contacts)`,
			f.Query, f.Query, f.Query).Scan(&f.tsquery, &f.tsWhole, &f.newest); err != nil {
			return nil, err
		}
	}
	var err error
	if f.fieldIDs, err = db.conditionFields(ctx, f); err != nil {
		return nil, err
	}
	var page *ContactPage
	if db.tiered(f) {
		page, err = db.tieredPage(ctx, f)
	} else {
		page, err = db.onePage(ctx, f)
	}
	if err != nil {
		return nil, err
	}
	return page, completeContacts(ctx, db, page.Items)
}

// wordTier is which full-text matches of a quick search a query takes.
// A quick search newest first lists the contacts with every word whole,
// then those whose last word only starts a longer word: a whole word is
// one list in the index, read from its newest entry and stopped at the
// page, while the start of a word is the union of every word it starts
// ("rossi" starts "rossini" and, in SQLite, the email words "rossi1234",
// one per contact) — gathered whole before the first row.
type wordTier int

const (
	allWords   wordTier = iota // every word whole, the last also as a start (one order)
	wholeWords                 // every word whole
	wordStarts                 // the last word only as the start of a longer one
)

// tiered reports whether f is a quick search listed whole words first: newest
// first, with a last word long enough to count as a start. Sorted any
// other way, every match is read and sorted anyway.
func (db *DB) tiered(f ContactFilter) bool {
	if !newestWords(f) {
		return false
	}
	if db.dialect == Postgres {
		return f.tsquery != f.tsWhole
	}
	terms := searchTerms(f.Query)
	return len(terms) > 0 && len(terms[len(terms)-1]) >= 2
}

// newestWords reports whether f is a quick search in the full-text index
// (not a number nor an email address), newest first.
func newestWords(f ContactFilter) bool {
	q := strings.TrimSpace(f.Query)
	return q != "" && f.Sort == "created" && f.Desc && f.Phone == "" && !isEmail(strings.ToLower(q))
}

// quickCursor is a tiered quick search's cursor: whether it is among the
// word starts, and where the next page starts (ID 0: at their start).
type quickCursor struct {
	cursor
	Starts bool `json:"w,omitempty"`
}

// tieredPage is a page of a quick search newest first, whole words first
// (see wordTier): a page that ends the whole-word matches goes on with
// the others.
func (db *DB) tieredPage(ctx context.Context, f ContactFilter) (*ContactPage, error) {
	f.words = wholeWords
	if f.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(f.Cursor)
		var c quickCursor
		if err != nil || json.Unmarshal(b, &c) != nil {
			return nil, apperr.Field("cursor", "cursor.invalid")
		}
		if c.Starts {
			f.words = wordStarts
			if c.ID == 0 { // their start
				f.Cursor = ""
			}
		}
	}
	limit := cmp.Or(f.Limit, 50)
	page, err := db.onePage(ctx, f)
	if err != nil || f.words == wordStarts || page.NextCursor != nil {
		return page, err
	}
	// The whole-word matches end on this page: the word starts follow.
	starts := f
	starts.words, starts.Cursor = wordStarts, ""
	starts.Limit = max(limit-len(page.Items), 1)
	more, err := db.onePage(ctx, starts)
	if err != nil {
		return nil, err
	}
	if len(page.Items) == limit { // full: the word starts begin the next page
		if len(more.Items) > 0 {
			next := quickCursor{cursor{Sort: "created", Desc: true}, true}.encode()
			page.NextCursor = &next
		}
		return page, nil
	}
	page.Items = append(page.Items, more.Items...)
	page.NextCursor = more.NextCursor
	return page, nil
}

func (c quickCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// onePage is a page of f (of one tier).
func (db *DB) onePage(ctx context.Context, f ContactFilter) (*ContactPage, error) {
	var page *ContactPage
	var err error
	if db.dialect == Postgres && f.tsquery != "" && newestWords(f) {
		page, err = db.newestInWindows(ctx, f)
	} else {
		page, err = db.pageQuery(ctx, f)
	}
	if err != nil || f.words != wordStarts || page.NextCursor == nil {
		return page, err
	}
	// The word starts' pages say so in their cursor.
	last := page.Items[len(page.Items)-1].ID
	next := quickCursor{cursor{Sort: "created", Desc: true, Key: strconv.FormatInt(last, 10), ID: last}, true}.encode()
	page.NextCursor = &next
	return page, nil
}

// pageQuery runs one query for a page of f.
func (db *DB) pageQuery(ctx context.Context, f ContactFilter) (*ContactPage, error) {
	q, args, sort, sortName, limit, err := db.contactQuery(f)
	if err != nil {
		return nil, err
	}
	return db.contactPage(ctx, q, planEach(db, args), sort, sortName, f.Desc, limit)
}

// firstWindow is how many of the newest ids a PostgreSQL quick search
// looks at first, before all the others: a rare word, not found enough
// there, costs one more look in the index; ten times wider windows in
// between cost the rare words (first and last name) two.
const firstWindow int64 = 20_000

// newestInWindows is a PostgreSQL quick search newest first, read in the
// window of the newest ids, then, if the page is not full, in the others. The planner
// chooses between walking the newest contacts and gathering every match
// from the full-text index by how many it expects; words that come
// together ("De Luca": 6,907 contacts, expected 457) made it gather and
// sort thousands of rows (25–300 ms) where the walk takes 3 ms. Within a
// window either plan is bounded.
func (db *DB) newestInWindows(ctx context.Context, f ContactFilter) (*ContactPage, error) {
	limit := cmp.Or(f.Limit, 50)
	top := f.newest // the window's upper end (exclusive); past the newest, or the cursor's id
	if f.Cursor != "" {
		keys, err := decodeCursor(f.Cursor, contactSorts["created"], "created", true)
		if err != nil {
			return nil, err
		}
		top = keys[0].(int64)
	}
	page := &ContactPage{Items: []*contacts.Contact{}}
	for span := cmp.Or(db.searchWindow, firstWindow); ; span = math.MaxInt64 {
		w := f
		w.Cursor, w.idBelow, w.idAbove = "", top, max(top-span, 0)
		w.Limit = limit - len(page.Items)
		if w.Limit == 0 { // the page is full: is there a next one?
			w.Limit, w.idAbove = 1, 0
		}
		part, err := db.pageQuery(ctx, w)
		if err != nil {
			return nil, err
		}
		if len(page.Items) == limit {
			if len(part.Items) > 0 {
				last := page.Items[limit-1].ID
				next := cursor{Sort: "created", Desc: true, Key: strconv.FormatInt(last, 10), ID: last}.encode()
				page.NextCursor = &next
			}
			return page, nil
		}
		page.Items = append(page.Items, part.Items...)
		if part.NextCursor != nil || w.idAbove == 0 {
			page.NextCursor = part.NextCursor
			return page, nil
		}
		top = w.idAbove + 1
	}
}

// planEach makes PostgreSQL plan a query for the values it is run with.
// pgx prepares and caches statements, and after five runs PostgreSQL may
// keep one generic plan that knows no value: for "segment equals gold" it
// guessed a rare value and gathered a quarter of a million contacts (2 to
// 5 s) where walking the list in order takes milliseconds.
func planEach(db *DB, args []any) []any {
	if db.dialect != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// contactPage reads a page's rows (the connection is free again when it
// returns, for completing them).
func (db *DB) contactPage(ctx context.Context, q string, args []any, sort listSort, sortName string, desc bool, limit int) (*ContactPage, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := &ContactPage{Items: []*contacts.Contact{}}
	var lastKey string
	for rows.Next() {
		key, keyText := sortKeyHolder(sort.kind)
		c, err := scanContact(rows, key)
		if err != nil {
			return nil, err
		}
		if len(page.Items) == limit { // the extra row: there is a next page
			next := cursor{Sort: sortName, Desc: desc, Key: lastKey, ID: page.Items[len(page.Items)-1].ID}.encode()
			page.NextCursor = &next
			break
		}
		page.Items = append(page.Items, c)
		lastKey = keyText()
	}
	return page, rows.Err()
}

// contactQuery is a page's SQL: limit+1 rows, the extra one telling there
// is a next page.
//
// A quick search ordered by creation (the default with q) reads each
// source of matches — the full-text index, the phone and mobile indexes,
// the identities — in id order and stops each at limit+1, so its cost
// does not grow with how many contacts match: a million contacts answer
// as fast as a thousand. Ordered by name, every match is read and sorted.
func (db *DB) contactQuery(f ContactFilter) (q string, args []any, sort listSort, sortName string, limit int, err error) {
	sortName = cmp.Or(f.Sort, "name")
	sort, ok := contactSorts[sortName]
	if !ok {
		return "", nil, sort, "", 0, apperr.Field("sort", "sort.invalid")
	}
	limit = cmp.Or(f.Limit, 50)
	var keyArgs []any
	if f.Cursor != "" {
		if keyArgs, err = decodeCursor(f.Cursor, sort, sortName, f.Desc); err != nil {
			return "", nil, sort, "", 0, err
		}
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	order := sort.column + " " + dir
	if sort.kind != 'i' {
		order += ", c.id " + dir
	}
	head := "SELECT " + contactColumns + ", " + sort.column + contactFrom + " WHERE "
	tail := " ORDER BY " + order + " LIMIT ?"
	query := strings.TrimSpace(f.Query)
	sources := db.contactSources(query, f)
	switch {
	case query == "" && f.ManagedBy != 0:
		// My Contacts: from the agent's own contacts (CROSS JOIN keeps
		// SQLite to that order), never a walk of every contact by name.
		managed := f
		managed.ManagedBy = 0
		cond, fa := db.contactFilters(managed, sort, keyArgs, "c.id")
		return "SELECT " + contactColumns + ", " + sort.column + ` FROM contact_managers mc CROSS JOIN contacts c
			JOIN lists l ON l.id = c.list_id WHERE mc.principal_id = ? AND c.id = mc.contact_id AND ` + cond + tail,
			append(append([]any{f.ManagedBy}, fa...), limit+1), sort, sortName, limit, nil
	case query == "":
		cond, fa := db.contactFilters(f, sort, keyArgs, "c.id")
		return head + cond + tail, append(fa, limit+1), sort, sortName, limit, nil
	case sort.kind == 'i':
		var branches []string
		for _, src := range sources {
			cond, fa := db.contactFilters(f, sort, keyArgs, src.idCol)
			branches = append(branches, "SELECT id FROM (SELECT "+src.idCol+" AS id FROM "+src.from+" WHERE "+src.where+
				" AND "+cond+" ORDER BY "+src.idCol+" "+dir+" LIMIT ?) b")
			args = append(append(append(args, src.args...), fa...), limit+1)
		}
		return head + "c.id IN (" + strings.Join(branches, " UNION ") + ")" + tail, append(args, limit+1), sort, sortName, limit, nil
	default:
		var parts []string
		for _, src := range sources {
			parts = append(parts, "SELECT "+src.idCol+" FROM "+src.from+" WHERE "+src.where)
			args = append(args, src.args...)
		}
		cond, fa := db.contactFilters(f, sort, keyArgs, "c.id")
		return head + "c.id IN (" + strings.Join(parts, " UNION ") + ") AND " + cond + tail,
			append(append(args, fa...), limit+1), sort, sortName, limit, nil
	}
}

// contactFilters are a search's conditions on contact c besides the quick
// search: its lists, My Contacts, tags, advanced conditions, and where the
// page starts (keyArgs, from the cursor), the id compared on idCol.
func (db *DB) contactFilters(f ContactFilter, sort listSort, keyArgs []any, idCol string) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if !f.AllLists {
		list := "c.list_id"
		if db.dialect == SQLite && slices.ContainsFunc(f.Conditions, ownIndex) {
			// SQLite (no statistics) takes "list_id = ?" for as narrow as
			// the condition's index and walks the list in name order until
			// the page is full (at 1,000,000 contacts, a rare last name read
			// them all: 100 ms, against 0.1 ms from the full-text index; a
			// common one with a recent date up to 200 ms, against 27); the
			// unary + leaves it the condition's index.
			list = "+c.list_id"
		}
		if len(f.ListIDs) == 0 {
			add("FALSE")
		} else {
			add(list+" IN ("+placeholders(len(f.ListIDs))+")", int64Args(f.ListIDs)...)
		}
	}
	if f.ManagedBy != 0 {
		add("c.id IN (SELECT mc.contact_id FROM contact_managers mc WHERE mc.principal_id = ?)", f.ManagedBy)
	}
	if f.Except != 0 {
		add("c.id <> ?", f.Except)
	}
	for _, t := range f.TagIDs {
		add("EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag_id = ?)", t)
	}
	for _, c := range f.Conditions {
		cond, a := db.conditionSQL(c, f.fieldIDs[c.Field])
		add(cond, a...)
	}
	after := ">"
	if f.Desc {
		after = "<"
	}
	if f.idAbove > 0 {
		add(idCol+" > ?", f.idAbove)
	}
	if f.idBelow > 0 {
		add(idCol+" < ?", f.idBelow)
	}
	switch {
	case keyArgs == nil:
	case sort.kind == 'i':
		add(idCol+" "+after+" ?", keyArgs...)
	default:
		add("("+sort.column+", c.id) "+after+" (?, ?)", keyArgs...)
	}
	if len(where) == 0 {
		return "TRUE", nil
	}
	return strings.Join(where, " AND "), args
}

// contactSource is one way a quick search finds contacts: rows of from
// (which names the contact c) meeting where, identified by idCol.
type contactSource struct {
	from, where, idCol string
	args               []any
}

// contactSources are the sources of a quick search for q:
//   - the full-text index over names, company and email: every word of q,
//     the last one also as the start of a word (from 2 letters) — the
//     dialect's own index (FTS5, or tsvector with GIN);
//   - for an email address, the contacts with that email instead;
//   - for a phone number or its start (phonePrefix), the phones, mobiles
//     and phone identities that start with it, and not the full-text index;
//   - the identities that are q (an email, a chat visitor, a handle).
//
// f.words narrows the full-text index to one tier (see wordTier); for the
// merge dialog (f.Only) the company does not count.
func (db *DB) contactSources(q string, f ContactFilter) []contactSource {
	phonePrefix, namesOnly := f.Phone, f.Only == "merge"
	var out []contactSource
	lower := strings.ToLower(q)
	switch {
	case q == "":
	case phonePrefix != "":
		// A number (only digits and the signs numbers are written with)
		// names no one: its own sources below. The full-text index would
		// look for it as a word — PostgreSQL then walked every contact,
		// expecting a digit prefix to be common.
	case isEmail(lower):
		out = append(out, contactSource{from: "contacts c", where: "c.email <> '' AND c.email = ?", idCol: "c.id",
			args: []any{lower}})
	case db.dialect == Postgres:
		if f.tsquery == "" { // nothing to look for (only punctuation)
			break
		}
		// Parameters, not literals: searches run planned for their values
		// (planEach), and query texts that differ by search would pile up
		// in the rebind cache.
		const matches = `c.search_vector @@ CAST(? AS tsquery)`
		src := contactSource{from: "contacts c", where: matches, idCol: "c.id", args: []any{f.tsquery}}
		switch f.words {
		case wholeWords:
			src.args = []any{f.tsWhole}
		case wordStarts:
			src.where += " AND NOT " + matches
			src.args = append(src.args, f.tsWhole)
		}
		if namesOnly { // the index finds the candidates, this drops those found by company only
			src.where += ` AND to_tsvector('simple', c.first_name || ' ' || c.last_name || ' ' || c.email) @@ CAST(? AS tsquery)`
			src.args = append(src.args, src.args[0])
		}
		out = append(out, src)
	default:
		if terms := searchTerms(q); len(terms) > 0 {
			match := make([]string, len(terms))
			for n, t := range terms {
				match[n] = `"` + t + `"`
			}
			switch last := terms[len(terms)-1]; {
			case len(last) < 2 || f.words == wholeWords:
			case f.words == wordStarts:
				match[len(match)-1] = `("` + last + `"* NOT "` + last + `")`
			default:
				match[len(match)-1] += "*"
			}
			expr := strings.Join(match, " AND ")
			if namesOnly {
				expr = "{first_name last_name email} : (" + expr + ")"
			}
			out = append(out, contactSource{from: "contacts_fts f JOIN contacts c ON c.id = f.rowid",
				where: "contacts_fts MATCH ?", idCol: "f.rowid", args: []any{expr}})
		}
	}
	if phonePrefix != "" {
		lo, hi := phonePrefix, phonePrefix+"~" // '~' sorts after every digit
		out = append(out,
			contactSource{from: "contacts c", where: "c.phone <> '' AND c.phone >= ? AND c.phone < ?", idCol: "c.id", args: []any{lo, hi}},
			contactSource{from: "contacts c", where: "c.mobile <> '' AND c.mobile >= ? AND c.mobile < ?", idCol: "c.id", args: []any{lo, hi}},
			contactSource{from: "contact_identities ci JOIN contacts c ON c.id = ci.contact_id",
				where: "ci.kind IN ('phone', 'whatsapp') AND ci.value >= ? AND ci.value < ?", idCol: "c.id", args: []any{lo, hi}})
	}
	if q != "" {
		out = append(out, contactSource{from: "contact_identities ci JOIN contacts c ON c.id = ci.contact_id",
			where: "ci.kind IN ('email', 'chat', 'openchannel') AND ci.value IN (?, ?)", idCol: "c.id", args: []any{lower, q}})
	}
	return out
}

// pgTSQuery is what a user typed (its two parameters) as a full-text
// query: the same parser as the indexed text (an email stays one word),
// every word whole and the last one, from 2 letters, also as a prefix.
// The indexed text is migration 00011's contacts.search_vector.
const pgTSQuery = `to_tsquery('simple', (SELECT coalesce(string_agg(quote_literal(v.lexeme) ||
	CASE WHEN v.positions @> ARRAY[m.last] AND length(v.lexeme) >= 2 THEN ':*' ELSE '' END, ' & '), '')
	FROM unnest(to_tsvector('simple', ?)) v,
		(SELECT max(p) AS last FROM unnest(to_tsvector('simple', ?)) u, unnest(u.positions) p) m))`

// pgTSWhole is the same query (its one parameter) with every word whole.
const pgTSWhole = `to_tsquery('simple', (SELECT coalesce(string_agg(quote_literal(v.lexeme), ' & '), '')
	FROM unnest(to_tsvector('simple', ?)) v))`

// isEmail reports whether q is a whole email address (searched exactly,
// by its index).
func isEmail(q string) bool {
	at := strings.IndexByte(q, '@')
	return at > 0 && strings.IndexByte(q[at+1:], '.') > 0 && !strings.ContainsAny(q, " \t,;<>\"") &&
		!strings.HasSuffix(q, ".")
}

// conditionFields finds the custom fields a search's conditions name, by
// key, among the fields of the lists searched: each condition then reads
// the contact's value by its primary key (contact, field), and the planner
// can weigh how common the value is in that field — joined to the fields
// by key, PostgreSQL misjudged "segment equals gold" as rare and started
// parallel workers for a walk of a few hundred contacts.
func (db *DB) conditionFields(ctx context.Context, f ContactFilter) (map[string][]int64, error) {
	var keys []any
	for _, c := range f.Conditions {
		if !c.Standard {
			keys = append(keys, c.Field)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	q := `SELECT key, id FROM list_fields WHERE key IN (` + placeholders(len(keys)) + `)`
	if !f.AllLists {
		if len(f.ListIDs) == 0 {
			return nil, nil
		}
		q += ` AND list_id IN (` + placeholders(len(f.ListIDs)) + `)`
		keys = append(keys, int64Args(f.ListIDs)...)
	}
	rows, err := db.query(ctx, q, keys...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var key string
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			return nil, err
		}
		out[key] = append(out[key], id)
	}
	return out, rows.Err()
}

// conditionSQL is one advanced-search condition on contact c; fieldIDs
// are the custom fields of its key in the lists searched.
func (db *DB) conditionSQL(c contacts.Condition, fieldIDs []int64) (string, []any) {
	if c.Standard {
		col := "c." + c.Field // one of contacts.StandardFields, never client text
		switch c.Op {
		case contacts.OpSet:
			return col + " <> ''", nil
		case contacts.OpNotSet:
			return col + " = ''", nil
		case contacts.OpContains:
			return "lower(" + col + ") LIKE ? ESCAPE '\\'", []any{likePattern(c.Value)}
		case contacts.OpEquals:
			return db.standardEqualsSQL(c)
		default:
			return col + " = ?", []any{c.Value}
		}
	}
	if len(fieldIDs) == 0 { // no list searched has the field: no contact has a value
		if c.Op == contacts.OpNotSet {
			return "TRUE", nil
		}
		return "FALSE", nil
	}
	fields := "v.field_id IN (" + placeholders(len(fieldIDs)) + ")"
	exists := `EXISTS (SELECT 1 FROM contact_values v WHERE v.contact_id = c.id AND ` + fields
	args := int64Args(fieldIDs)
	var cmp string
	switch c.Op {
	case contacts.OpSet:
		return exists + ")", args
	case contacts.OpNotSet:
		return "NOT " + exists + ")", args
	case contacts.OpContains:
		cmp = "lower(v.value) LIKE ? ESCAPE '\\'"
		args = append(args, likePattern(c.Value))
	case contacts.OpGreater, contacts.OpLess:
		op := ">"
		if c.Op == contacts.OpLess {
			op = "<"
		}
		cmp = db.numberOf(fields) + " " + op + " CAST(? AS " + db.realType() + ")"
		args = append(append(args, int64Args(fieldIDs)...), c.Value)
	case contacts.OpBefore:
		cmp, args = "v.value < ?", append(args, c.Value)
	case contacts.OpAfter:
		cmp, args = "v.value > ?", append(args, c.Value)
	default: // equals
		switch c.Type {
		case contacts.TypeNumber:
			cmp = db.numberOf(fields) + " = CAST(? AS " + db.realType() + ")"
			args = append(args, int64Args(fieldIDs)...)
		case contacts.TypeText, contacts.TypeSelect:
			cmp = "lower(v.value) = lower(?)"
		default:
			cmp = "v.value = ?"
		}
		args = append(args, c.Value)
	}
	return exists + " AND " + cmp + ")", args
}

// ownIndex reports whether a condition finds its few contacts through an
// index of its own (see standardEqualsSQL): a phone number, a mobile or an
// email that equals a value, or a name or a company that does, through the
// full-text index (when the value has a word for it).
func ownIndex(c contacts.Condition) bool {
	if !c.Standard || c.Op != contacts.OpEquals {
		return false
	}
	switch c.Field {
	case "phone", "mobile", "email":
		return true
	case "first_name", "last_name", "company":
		return len(searchTerms(c.Value)) > 0
	}
	return false
}

// standardEqualsSQL is "a contact's own field equals c.Value", written so
// an index finds the contacts instead of a walk of the lists searched: a
// number or an address by its (partial) index, a last name on PostgreSQL
// by its own, other names and a company by the full-text index (the
// contacts with every word of the value, then the whole value compared).
func (db *DB) standardEqualsSQL(c contacts.Condition) (string, []any) {
	col := "c." + c.Field
	switch {
	case c.Type != contacts.TypeText:
		// The partial indexes hold only contacts with a value: the
		// condition must say so for the planner to use them.
		return col + " <> '' AND " + col + " = ?", []any{c.Value}
	case db.dialect == Postgres && c.Field == "last_name":
		// Its own index, in name order (migration 00017).
		return "lower(" + col + ") = lower(?)", []any{c.Value}
	case db.dialect == Postgres:
		return "c.search_vector @@ plainto_tsquery('simple', ?) AND lower(" + col + ") = lower(?)", []any{c.Value, c.Value}
	}
	terms := searchTerms(c.Value)
	if len(terms) == 0 { // punctuation only: nothing for the index
		return "lower(" + col + ") = lower(?)", []any{c.Value}
	}
	match := make([]string, len(terms))
	for n, t := range terms {
		match[n] = `"` + t + `"`
	}
	return "c.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?) AND lower(" + col + ") = lower(?)",
		[]any{c.Field + " : (" + strings.Join(match, " AND ") + ")", c.Value}
}

// numberOf is a number field's stored value (v.value) as a number, for
// the rows of those fields (the condition isNumber). The CASE keeps the
// cast from ever meeting another field's text (a date): a database may
// test a row's conditions in any order.
func (db *DB) numberOf(isNumber string) string {
	return "(CASE WHEN " + isNumber + " THEN CAST(v.value AS " + db.realType() + ") END)"
}

// realType is the dialect's floating-point type.
func (db *DB) realType() string {
	if db.dialect == Postgres {
		return "DOUBLE PRECISION"
	}
	return "REAL"
}

package store

import (
	"context"
	"strings"

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
	page := &ContactPage{Items: []*contacts.Contact{}}
	err := db.EachContact(ctx, f, func(c *contacts.Contact, next *string) error {
		if next != nil {
			page.NextCursor = next
			return nil
		}
		page.Items = append(page.Items, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, completeContacts(ctx, db, page.Items)
}

// EachContact calls fn for each contact of one page in order (without
// tags, values and identities); after the last it calls fn(nil, cursor)
// when there is a next page.
func (db *DB) EachContact(ctx context.Context, f ContactFilter, fn func(c *contacts.Contact, next *string) error) error {
	q, args, sort, sortName, limit, err := db.contactQuery(f)
	if err != nil {
		return err
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	var last *contacts.Contact
	var lastKey string
	for rows.Next() {
		key, keyText := sortKeyHolder(sort.kind)
		c, err := scanContact(rows, key)
		if err != nil {
			return err
		}
		if n == limit {
			next := cursor{Sort: sortName, Desc: f.Desc, Key: lastKey, ID: last.ID}.encode()
			return fn(nil, &next)
		}
		if err := fn(c, nil); err != nil {
			return err
		}
		n, last, lastKey = n+1, c, keyText()
	}
	return rows.Err()
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
	sortName = f.Sort
	if sortName == "" {
		sortName = "name"
	}
	sort, ok := contactSorts[sortName]
	if !ok {
		return "", nil, sort, "", 0, apperr.Field("sort", "sort.invalid")
	}
	limit = f.Limit
	if limit <= 0 {
		limit = 50
	}
	var keyArgs []any
	if f.Cursor != "" {
		if keyArgs, err = decodeCursor(f.Cursor, sort, sortName, f.Desc); err != nil {
			return "", nil, sort, "", 0, err
		}
	}
	dir, cmp := "ASC", ">"
	if f.Desc {
		dir, cmp = "DESC", "<"
	}
	// filters are the conditions on contact c besides the quick search;
	// idCol is the column the keyset compares ids on.
	filters := func(idCol string) (string, []any) {
		var where []string
		var fa []any
		add := func(cond string, a ...any) {
			where = append(where, cond)
			fa = append(fa, a...)
		}
		if !f.AllLists {
			if len(f.ListIDs) == 0 {
				add("FALSE")
			} else {
				add("c.list_id IN ("+placeholders(len(f.ListIDs))+")", int64Args(f.ListIDs)...)
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
			cond, a := db.conditionSQL(c)
			add(cond, a...)
		}
		switch {
		case keyArgs == nil:
		case sort.kind == 'i':
			add(idCol+" "+cmp+" ?", keyArgs...)
		default:
			add("("+sort.column+", c.id) "+cmp+" (?, ?)", keyArgs...)
		}
		if len(where) == 0 {
			return "TRUE", nil
		}
		return strings.Join(where, " AND "), fa
	}
	order := sort.column + " " + dir
	if sort.kind != 'i' {
		order += ", c.id " + dir
	}
	head := "SELECT " + contactColumns + ", " + sort.column + contactFrom + " WHERE "
	tail := " ORDER BY " + order + " LIMIT ?"
	query := strings.TrimSpace(f.Query)
	sources := db.contactSources(query, f.Phone, f.Only == "merge")
	switch {
	case query == "":
		cond, fa := filters("c.id")
		return head + cond + tail, append(fa, limit+1), sort, sortName, limit, nil
	case sort.kind == 'i':
		var branches []string
		for _, src := range sources {
			cond, fa := filters(src.idCol)
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
		cond, fa := filters("c.id")
		return head + "c.id IN (" + strings.Join(parts, " UNION ") + ") AND " + cond + tail,
			append(append(args, fa...), limit+1), sort, sortName, limit, nil
	}
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
//     and phone identities that start with it;
//   - the identities that are q (an email, a chat visitor, a handle).
//
// With namesOnly (the merge dialog) the company does not count.
func (db *DB) contactSources(q, phonePrefix string, namesOnly bool) []contactSource {
	var out []contactSource
	lower := strings.ToLower(q)
	switch {
	case q == "":
	case isEmail(lower):
		out = append(out, contactSource{from: "contacts c", where: "c.email <> '' AND c.email = ?", idCol: "c.id",
			args: []any{lower}})
	case db.dialect == Postgres:
		// The same parser as the indexed text (an email stays one word);
		// the last word is also a prefix. The expression is the index's
		// (migration 00011).
		tsq := `to_tsquery('simple', (SELECT coalesce(string_agg(quote_literal(v.lexeme) ||
			CASE WHEN v.positions @> ARRAY[m.last] AND length(v.lexeme) >= 2 THEN ':*' ELSE '' END, ' & '), '')
			FROM unnest(to_tsvector('simple', ?)) v,
				(SELECT max(p) AS last FROM unnest(to_tsvector('simple', ?)) u, unnest(u.positions) p) m))`
		where := `to_tsvector('simple', c.first_name || ' ' || c.last_name || ' ' || c.company || ' ' || c.email) @@ ` + tsq
		args := []any{q, q}
		if namesOnly { // the index finds the candidates, this drops those found by company only
			where += ` AND to_tsvector('simple', c.first_name || ' ' || c.last_name || ' ' || c.email) @@ ` + tsq
			args = append(args, q, q)
		}
		out = append(out, contactSource{from: "contacts c", where: where, idCol: "c.id", args: args})
	default:
		if terms := searchTerms(q); len(terms) > 0 {
			match := make([]string, len(terms))
			for n, t := range terms {
				match[n] = `"` + t + `"`
			}
			if last := terms[len(terms)-1]; len(last) >= 2 {
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

// isEmail reports whether q is a whole email address (searched exactly,
// by its index).
func isEmail(q string) bool {
	at := strings.IndexByte(q, '@')
	return at > 0 && strings.IndexByte(q[at+1:], '.') > 0 && !strings.ContainsAny(q, " \t,;<>\"") &&
		!strings.HasSuffix(q, ".")
}

// conditionSQL is one advanced-search condition on contact c.
func (db *DB) conditionSQL(c contacts.Condition) (string, []any) {
	if c.Standard {
		col := "c." + c.Field // one of contacts.StandardFields, never client text
		switch c.Op {
		case contacts.OpSet:
			return col + " <> ''", nil
		case contacts.OpNotSet:
			return col + " = ''", nil
		case contacts.OpContains:
			return "lower(" + col + ") LIKE ? ESCAPE '\\'", []any{likePattern(c.Value)}
		default:
			if c.Type == contacts.TypeText {
				return "lower(" + col + ") = lower(?)", []any{c.Value}
			}
			return col + " = ?", []any{c.Value}
		}
	}
	exists := `EXISTS (SELECT 1 FROM contact_values v JOIN list_fields f ON f.id = v.field_id
		WHERE v.contact_id = c.id AND f.key = ?`
	args := []any{c.Field}
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
		cmp = db.numberOf("v.value") + " " + op + " CAST(? AS " + db.realType() + ")"
		args = append(args, c.Value)
	case contacts.OpBefore:
		cmp, args = "v.value < ?", append(args, c.Value)
	case contacts.OpAfter:
		cmp, args = "v.value > ?", append(args, c.Value)
	default: // equals
		switch c.Type {
		case contacts.TypeNumber:
			cmp = db.numberOf("v.value") + " = CAST(? AS " + db.realType() + ")"
		case contacts.TypeText, contacts.TypeSelect:
			cmp = "lower(v.value) = lower(?)"
		default:
			cmp = "v.value = ?"
		}
		args = append(args, c.Value)
	}
	return exists + " AND " + cmp + ")", args
}

// numberOf is a number field's stored text as a number. The CASE keeps
// the cast from ever meeting another field's text (a date): a database
// may test a row's conditions in any order.
func (db *DB) numberOf(col string) string {
	return "(CASE WHEN f.type = 'number' THEN CAST(" + col + " AS " + db.realType() + ") END)"
}

// realType is the dialect's floating-point type.
func (db *DB) realType() string {
	if db.dialect == Postgres {
		return "DOUBLE PRECISION"
	}
	return "REAL"
}

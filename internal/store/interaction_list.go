package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
)

// The channels' interaction lists: filters, sorts and keyset pagination
// over a million interactions, each row with what the list shows of it.

// InteractionScope is which interactions a caller may see: all of them
// (admins), or those of some queues plus, for an agent, the ones he owns or
// first handled.
type InteractionScope struct {
	All       bool
	Queues    []int64
	Principal int64 // 0: none; else also the interactions he owns or first handled
}

// Allows reports whether the scope covers an interaction; it is the same
// rule the list query applies in SQL (scopeSQL).
func (s InteractionScope) Allows(it *Interaction) bool {
	if s.All {
		return true
	}
	if s.Principal != 0 && ((it.OwnerID != nil && *it.OwnerID == s.Principal) ||
		(it.FirstAgentID != nil && *it.FirstAgentID == s.Principal)) {
		return true
	}
	if it.QueueID != nil {
		for _, q := range s.Queues {
			if q == *it.QueueID {
				return true
			}
		}
	}
	return false
}

// scopeSQL is the scope as a condition on the interactions row i.
func (s InteractionScope) scopeSQL() (string, []any) {
	if s.All {
		return "TRUE", nil
	}
	var conds []string
	var args []any
	if len(s.Queues) > 0 {
		conds = append(conds, "i.queue_id IN ("+placeholders(len(s.Queues))+")")
		for _, q := range s.Queues {
			args = append(args, q)
		}
	}
	if s.Principal != 0 {
		conds = append(conds, "i.owner_id = ?", "i.first_agent_id = ?")
		args = append(args, s.Principal, s.Principal)
	}
	if len(conds) == 0 {
		return "FALSE", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// InteractionFilter selects and orders a page of an interaction list. Every
// condition is AND-ed with the scope.
type InteractionFilter struct {
	Scope       InteractionScope
	Viewer      int64 // whose read marks "read" and "unread" mean
	Channel     string
	Query       string     // any text: id, subject, contact, account name, messages
	From        *time.Time // started at or after
	Before      *time.Time // started before
	Read        string     // "", "read", "unread"
	Statuses    []string   // any of
	SubStatusID *int64
	AccountID   *int64
	OwnerID     *int64
	TagIDs      []int64 // all of
	Sort        string  // id, subject, started, last_message (""), status
	Desc        bool
	Limit       int
	Cursor      string // from the previous page's NextCursor
}

// listSort is one way to order a list: the column (never NULL) and how its
// value travels in a cursor.
type listSort struct {
	column string
	kind   byte // 'i' the id itself, 't' a time, 's' a string
}

// interactionSorts are the orders a list can take; each has an index per
// channel (migration 00010), the id breaking ties.
var interactionSorts = map[string]listSort{
	"id":           {"i.id", 'i'},
	"subject":      {"i.subject_sort", 's'},
	"started":      {"i.created_at", 't'},
	"last_message": {"i.last_activity_at", 't'},
	"status":       {"i.status", 's'},
}

// AccountRef names the account an interaction came through.
type AccountRef struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Channel string `json:"channel"`
}

// InteractionItem is an interaction as a list shows it.
type InteractionItem struct {
	*Interaction
	ContactKey string      `json:"contact_key" mask:"key"`
	SubStatus  *Ref        `json:"sub_status"`
	Account    *AccountRef `json:"account"`
	Owner      *Ref        `json:"owner"`
	Tags       []TagRef    `json:"tags"`
	Unread     int         `json:"unread"`   // messages after the viewer's read mark
	Watching   []Ref       `json:"watching"` // who has it on screen now
	// RelatedUnmanaged counts the other interactions of the same
	// conversation (account and contact key) that closed unmanaged.
	RelatedUnmanaged int `json:"related_unmanaged"`
	// Contact is the Contact Manager's contact of the interaction (null
	// when it has none).
	Contact *contacts.Ref `json:"contact"`
}

// InteractionPage is one page of a list; NextCursor is nil on the last.
type InteractionPage struct {
	Items      []*InteractionItem `json:"items"`
	NextCursor *string            `json:"next_cursor"`
}

// cursor is where a page ended: the sort, its direction, and the last row's
// sort key and id.
type cursor struct {
	Sort string `json:"s"`
	Desc bool   `json:"d"`
	Key  string `json:"k,omitempty"`
	ID   int64  `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor for the sort and direction asked; anything
// else (tampered, or from another order) is an error on "cursor".
// The values it returns are the keyset condition's arguments.
func decodeCursor(s string, sort listSort, sortName string, desc bool) ([]any, error) {
	bad := apperr.Field("cursor", "cursor.invalid")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sortName || c.Desc != desc || c.ID <= 0 {
		return nil, bad
	}
	switch sort.kind {
	case 'i':
		return []any{c.ID}, nil
	case 't':
		t, err := time.Parse(time.RFC3339Nano, c.Key)
		if err != nil {
			return nil, bad
		}
		return []any{t.UTC(), c.ID}, nil
	default:
		return []any{c.Key, c.ID}, nil
	}
}

// interactionColumns is interactionSelect's column list on the alias i, so
// the list scans rows with scanInteraction and never drifts from it.
var interactionColumns = func() string {
	cols := strings.TrimSuffix(strings.TrimPrefix(interactionSelect, "SELECT "), " FROM interactions")
	parts := strings.Split(cols, ",")
	for n, p := range parts {
		parts[n] = "i." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}()

// withExtra scans a row's leading interaction columns with scanInteraction
// and its trailing columns into extra.
type withExtra struct {
	r     rowScanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.r.Scan(append(dest, w.extra...)...) }

// unreadMessages is the condition "message m of interaction i is after the
// viewer's read mark"; its one parameter is the viewer.
const unreadMessages = `m.interaction_id = i.id AND m.id > coalesce(
	(SELECT r.read_up_to_message_id FROM interaction_reads r WHERE r.interaction_id = i.id AND r.principal_id = ?), 0)`

// itemSelectTail follows interactionColumns: the names and counts a list
// row shows; its one parameter is the viewer (for unread).
const itemSelectTail = `, i.contact_key, ss.id, ss.name, a.id, a.name, a.channel, o.id, o.full_name, o.username,
	(SELECT count(*) FROM messages m WHERE ` + unreadMessages + `),
	(CASE WHEN i.contact_key = '' OR i.account_id IS NULL THEN 0 ELSE
		(SELECT count(*) FROM interactions u WHERE u.account_id = i.account_id AND u.contact_key = i.contact_key
			AND u.status = 'closed_unmanaged' AND u.id <> i.id) END),
	ct.list_id, ct.first_name, ct.last_name`

const itemFrom = ` FROM interactions i
	LEFT JOIN sub_statuses ss ON ss.id = i.sub_status_id
	LEFT JOIN accounts a ON a.id = i.account_id
	LEFT JOIN principals o ON o.id = i.owner_id
	LEFT JOIN contacts ct ON ct.id = i.contact_id`

// scanItem reads one list row (plus, when sortKey is set, the sort key
// after it).
func scanItem(r rowScanner, sortKey any) (*InteractionItem, error) {
	var it InteractionItem
	var ssID, aID, oID sql.NullInt64
	var ssName, aName, aChannel, oFull, oUser sql.NullString
	var ctList sql.NullInt64
	var ctFirst, ctLast sql.NullString
	extra := []any{&it.ContactKey, &ssID, &ssName, &aID, &aName, &aChannel, &oID, &oFull, &oUser, &it.Unread, &it.RelatedUnmanaged,
		&ctList, &ctFirst, &ctLast}
	if sortKey != nil {
		extra = append(extra, sortKey)
	}
	base, err := scanInteraction(withExtra{r: r, extra: extra})
	if err != nil {
		return nil, err
	}
	it.Interaction = base
	if ssID.Valid {
		it.SubStatus = &Ref{ID: ssID.Int64, Name: ssName.String}
	}
	if aID.Valid {
		it.Account = &AccountRef{ID: aID.Int64, Name: aName.String, Channel: aChannel.String}
	}
	if oID.Valid {
		it.Owner = &Ref{ID: oID.Int64, Name: displayName(oFull.String, oUser.String)}
	}
	if base.ContactID != nil && ctList.Valid {
		it.Contact = &contacts.Ref{ID: *base.ContactID, ListID: ctList.Int64,
			Name: strings.TrimSpace(ctFirst.String + " " + ctLast.String)}
	}
	it.Tags, it.Watching = []TagRef{}, []Ref{}
	return &it, nil
}

// displayName is how a person is named on lists and transcripts.
func displayName(fullName, username string) string {
	if strings.TrimSpace(fullName) != "" {
		return fullName
	}
	return username
}

// InteractionList returns one page of interactions the scope allows,
// filtered and ordered as asked.
func (db *DB) InteractionList(ctx context.Context, f InteractionFilter) (*InteractionPage, error) {
	lq, err := db.listQuery(f)
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, lq.sql, lq.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := &InteractionPage{Items: []*InteractionItem{}}
	var lastKey string
	for rows.Next() {
		key, keyText := sortKeyHolder(lq.sort.kind)
		it, err := scanItem(rows, key)
		if err != nil {
			return nil, err
		}
		if len(page.Items) == lq.limit { // the extra row: there is a next page
			c := cursor{Sort: lq.sortName, Desc: f.Desc, Key: lastKey, ID: page.Items[len(page.Items)-1].ID}
			next := c.encode()
			page.NextCursor = &next
			break
		}
		page.Items = append(page.Items, it)
		lastKey = keyText()
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return page, db.completeItems(ctx, page.Items)
}

// listQuery is a list page's SQL: it reads limit+1 rows, the extra one
// telling there is a next page.
type listQuery struct {
	sql      string
	args     []any
	sort     listSort
	sortName string
	limit    int
}

func (db *DB) listQuery(f InteractionFilter) (*listQuery, error) {
	lq := &listQuery{sortName: f.Sort, limit: f.Limit}
	if lq.sortName == "" {
		lq.sortName = "last_message"
	}
	sort, ok := interactionSorts[lq.sortName]
	if !ok {
		return nil, apperr.Field("sort", "sort.invalid")
	}
	lq.sort = sort
	if lq.limit <= 0 {
		lq.limit = 50
	}
	where, args := f.Scope.scopeSQL()
	add := func(cond string, a ...any) {
		where += " AND " + cond
		args = append(args, a...)
	}
	if f.Channel != "" {
		add("i.channel = ?", f.Channel)
	}
	if f.From != nil {
		add("i.created_at >= ?", f.From.UTC())
	}
	if f.Before != nil {
		add("i.created_at < ?", f.Before.UTC())
	}
	if len(f.Statuses) > 0 {
		st := make([]any, len(f.Statuses))
		for n, s := range f.Statuses {
			st[n] = s
		}
		add("i.status IN ("+placeholders(len(st))+")", st...)
	}
	if f.SubStatusID != nil {
		add("i.sub_status_id = ?", *f.SubStatusID)
	}
	if f.AccountID != nil {
		add("i.account_id = ?", *f.AccountID)
	}
	if f.OwnerID != nil {
		add("i.owner_id = ?", *f.OwnerID)
	}
	for _, t := range f.TagIDs {
		add("EXISTS (SELECT 1 FROM interaction_tags t WHERE t.interaction_id = i.id AND t.tag_id = ?)", t)
	}
	if f.Read != "" {
		unread := "EXISTS (SELECT 1 FROM messages m WHERE " + unreadMessages + ")"
		if f.Read == "read" {
			unread = "NOT " + unread
		}
		add(unread, f.Viewer)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		cond, a := db.searchSQL(q)
		add(cond, a...)
	}
	dir, cmp := "ASC", ">"
	if f.Desc {
		dir, cmp = "DESC", "<"
	}
	if f.Cursor != "" {
		keyArgs, err := decodeCursor(f.Cursor, sort, lq.sortName, f.Desc)
		if err != nil {
			return nil, err
		}
		if sort.kind == 'i' {
			add("i.id "+cmp+" ?", keyArgs...)
		} else {
			add("("+sort.column+", i.id) "+cmp+" (?, ?)", keyArgs...)
		}
	}
	order := sort.column + " " + dir
	if sort.kind != 'i' {
		order += ", i.id " + dir
	}
	lq.sql = "SELECT " + interactionColumns + itemSelectTail + ", " + sort.column + itemFrom +
		" WHERE " + where + " ORDER BY " + order + " LIMIT ?"
	lq.args = append(append([]any{f.Viewer}, args...), lq.limit+1)
	return lq, nil
}

// sortKeyHolder returns where to scan a row's sort key and how to write it
// into a cursor.
func sortKeyHolder(kind byte) (any, func() string) {
	switch kind {
	case 't':
		var t time.Time
		return &t, func() string { return t.UTC().Format(time.RFC3339Nano) }
	case 's':
		var s string
		return &s, func() string { return s }
	default:
		var n int64
		return &n, func() string { return strconv.FormatInt(n, 10) }
	}
}

// OpenItems lists the open interactions an agent owns, newest first, as
// his desktop's tabs show them.
func (db *DB) OpenItems(ctx context.Context, agentID int64) ([]*InteractionItem, error) {
	return db.items(ctx, agentID, "i.owner_id = ? AND i.status = 'open' ORDER BY i.id DESC", agentID)
}

// InteractionItem returns one interaction as a list shows it to viewer.
func (db *DB) InteractionItem(ctx context.Context, id, viewer int64) (*InteractionItem, error) {
	items, err := db.items(ctx, viewer, "i.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return items[0], nil
}

// items reads the list rows a condition (and its order) selects, complete.
func (db *DB) items(ctx context.Context, viewer int64, where string, args ...any) ([]*InteractionItem, error) {
	rows, err := db.query(ctx, "SELECT "+interactionColumns+itemSelectTail+itemFrom+" WHERE "+where,
		append([]any{viewer}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := []*InteractionItem{}
	for rows.Next() {
		it, err := scanItem(rows, nil)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, db.completeItems(ctx, items)
}

// completeItems adds the tags and watchers of a page's interactions, one
// query each for the whole page.
func (db *DB) completeItems(ctx context.Context, items []*InteractionItem) error {
	if len(items) == 0 {
		return nil
	}
	byID := make(map[int64]*InteractionItem, len(items))
	ids := make([]any, 0, len(items))
	for _, it := range items {
		byID[it.ID] = it
		ids = append(ids, it.ID)
	}
	in := "(" + placeholders(len(ids)) + ")"
	rows, err := db.query(ctx, `SELECT it.interaction_id, t.id, t.name, t.colour FROM interaction_tags it
		JOIN tags t ON t.id = it.tag_id WHERE it.interaction_id IN `+in+` ORDER BY lower(t.name), t.id`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var t TagRef
		if err := rows.Scan(&id, &t.ID, &t.Name, &t.Colour); err != nil {
			rows.Close()
			return err
		}
		byID[id].Tags = append(byID[id].Tags, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	watchers, err := db.watchersOf(ctx, ids)
	if err != nil {
		return err
	}
	for id, w := range watchers {
		byID[id].Watching = w
	}
	return nil
}

// searchTerms splits what a user typed into the words full-text search
// looks for (letters and digits; at most 8).
func searchTerms(q string) []string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 8 {
		words = words[:8]
	}
	return words
}

// searchSQL is the condition "the interaction matches q": its id, its
// account's name, or every word of q as a word prefix in its subject and
// contact, or in one of its messages. Full-text search is the dialect's own
// (FTS5 or tsvector), over indexes migration 00010 keeps.
func (db *DB) searchSQL(q string) (string, []any) {
	var parts []string
	var args []any
	if id, err := strconv.ParseInt(strings.TrimPrefix(q, "#"), 10, 64); err == nil && id > 0 {
		parts = append(parts, "SELECT CAST(? AS BIGINT)")
		args = append(args, id)
	}
	parts = append(parts, `SELECT i2.id FROM interactions i2 WHERE i2.account_id IN
		(SELECT ac.id FROM accounts ac WHERE lower(ac.name) LIKE ? ESCAPE '\')`)
	args = append(args, likePattern(q))
	if db.dialect == Postgres {
		// The query goes through the same parser as the indexed text (so an
		// email address stays one word), each word a prefix.
		tsq := `to_tsquery('simple', (SELECT coalesce(string_agg(quote_literal(lexeme) || ':*', ' & '), '')
			FROM unnest(to_tsvector('simple', ?))))`
		parts = append(parts,
			`SELECT i3.id FROM interactions i3 WHERE to_tsvector('simple', i3.subject || ' ' || i3.contact_name || ' ' || i3.contact_key) @@ `+tsq,
			`SELECT m.interaction_id FROM messages m WHERE to_tsvector('simple', m.body) @@ `+tsq)
		args = append(args, q, q)
	} else if terms := searchTerms(q); len(terms) > 0 {
		match := make([]string, len(terms))
		for n, t := range terms {
			match[n] = `"` + t + `"*`
		}
		expr := strings.Join(match, " AND ")
		parts = append(parts,
			`SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ?`,
			`SELECT m.interaction_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?`)
		args = append(args, expr, expr)
	}
	return "i.id IN (" + strings.Join(parts, " UNION ") + ")", args
}

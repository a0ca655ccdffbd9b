package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// The Contact Manager's contacts: search (quick, by list and tags,
// advanced), My Contacts, create, read, edit, merge, copy, delete, the
// customer journey and CSV export. Who may do what: contacts_access.go;
// masking: contacts_mask.go.

const (
	maxContactLists = 50
	maxMergeResults = 50
)

// contactFilter reads a search's query. Lists named must be readable to
// the caller (any list for My Contacts); none named means every list he
// may read.
func (s *Server) contactFilter(r *http.Request, cs *contactScope, mine bool) (store.ContactFilter, error) {
	q := r.URL.Query()
	var f store.ContactFilter
	f.Query = strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(f.Query) > maxSearchChars {
		return f, apperr.Field("q", "field.too_long", maxSearchChars)
	}
	f.Phone = s.phones().SearchPrefix(f.Query)
	if len(q["list_id"]) > maxContactLists {
		return f, apperr.Field("list_id", "field.too_many", maxContactLists)
	}
	for _, v := range q["list_id"] {
		id, err := queryOptionalID(v, "list_id")
		if err != nil || id == nil {
			return f, apperr.Field("list_id", "id.invalid")
		}
		if !mine && !cs.access(*id).CanRead() {
			return f, apperr.New(apperr.Forbidden, "scope.list")
		}
		f.ListIDs = append(f.ListIDs, *id)
	}
	if len(f.ListIDs) == 0 {
		if mine || cs.all {
			f.AllLists = true
		} else {
			f.ListIDs = cs.ids(false)
		}
	}
	if mine {
		f.ManagedBy = callerFrom(r.Context()).ID()
	}
	if len(q["tag_id"]) > maxListTags {
		return f, apperr.Field("tag_id", "field.too_many", maxListTags)
	}
	for _, v := range q["tag_id"] {
		id, err := queryOptionalID(v, "tag_id")
		if err != nil || id == nil {
			return f, apperr.Field("tag_id", "id.invalid")
		}
		f.TagIDs = append(f.TagIDs, *id)
	}
	if where := q["where"]; len(where) > 0 {
		if len(where) > contacts.MaxConditions {
			return f, apperr.Field("where", "field.too_many", contacts.MaxConditions)
		}
		defs, err := s.searchedFields(r, f)
		if err != nil {
			return f, err
		}
		for _, w := range where {
			c, bad := s.phones().ParseCondition(w, defs)
			if bad != nil {
				return f, apperr.Field("where", bad.Key, bad.Args...)
			}
			f.Conditions = append(f.Conditions, c)
		}
	}
	f.Sort = q.Get("sort") // the store refuses an unknown one
	switch q.Get("order") {
	case "asc":
	case "desc":
		f.Desc = true
	case "":
		// A quick search lists the newest matches first: the order its
		// indexes give at any size (see store.contactQuery).
		if f.Sort == "" && f.Query != "" {
			f.Sort, f.Desc = "created", true
		}
	default:
		return f, apperr.Field("order", "order.invalid")
	}
	var err error
	if f.Limit, err = queryInt(r, "limit", 50, 1, 200); err != nil {
		return f, err
	}
	f.Cursor = q.Get("cursor")
	if len(f.Cursor) > 1000 {
		return f, apperr.Field("cursor", "cursor.invalid")
	}
	return f, nil
}

// searchedFields are the custom fields of the lists a search covers.
func (s *Server) searchedFields(r *http.Request, f store.ContactFilter) ([]contacts.Field, error) {
	if f.AllLists {
		return s.db.AllListFields(r.Context())
	}
	return s.db.ListFields(r.Context(), f.ListIDs...)
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) error {
	return s.searchContacts(w, r, false)
}

// myContacts is an agent's My Contacts: the contacts he managed (edited,
// or served an interaction of), in any list.
func (s *Server) myContacts(w http.ResponseWriter, r *http.Request) error {
	return s.searchContacts(w, r, true)
}

func (s *Server) searchContacts(w http.ResponseWriter, r *http.Request, mine bool) error {
	cs, err := s.contactScope(r)
	if err != nil {
		return err
	}
	f, err := s.contactFilter(r, cs, mine)
	if err != nil {
		return err
	}
	page, err := s.db.SearchContacts(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.contactFor(r, contacts.Read)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) error {
	var in contacts.Input
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.ListID == nil {
		return apperr.Field("list_id", "field.required")
	}
	cs, err := s.contactScope(r)
	if err != nil {
		return err
	}
	if err := editableList(cs, *in.ListID, "list_id"); err != nil {
		return err
	}
	defs, err := s.db.ListFields(r.Context(), *in.ListID)
	if err != nil {
		return err
	}
	c := &contacts.Contact{ListID: *in.ListID, Fields: map[string]any{}, Identities: []contacts.Identity{}}
	values, err := s.phones().Edit(c, in, defs)
	if err != nil {
		return err
	}
	saved, err := s.db.SaveContact(r.Context(), store.ContactWrite{Contact: c, Values: values, TagIDs: in.TagIDs,
		Identities: in.Identities != nil}, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, saved)
	return nil
}

// patchContact changes the fields sent; a contact stays in its list (copy
// it into another).
func (s *Server) patchContact(w http.ResponseWriter, r *http.Request) error {
	var in contacts.Input
	if err := decode(r, &in); err != nil {
		return err
	}
	c, _, err := s.contactFor(r, contacts.Edit)
	if err != nil {
		return err
	}
	if in.ListID != nil && *in.ListID != c.ListID {
		return apperr.Field("list_id", "contact.list_fixed")
	}
	defs, err := s.db.ListFields(r.Context(), c.ListID)
	if err != nil {
		return err
	}
	values, err := s.phones().Edit(c, in, defs)
	if err != nil {
		return err
	}
	saved, err := s.db.SaveContact(r.Context(), store.ContactWrite{Contact: c, Values: values, TagIDs: in.TagIDs,
		Identities: in.Identities != nil}, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request) error {
	c, cs, err := s.contactFor(r, contacts.Read)
	if err != nil {
		return err
	}
	if !cs.access(c.ListID).CanRead() { // managing one is no right to delete it
		return apperr.New(apperr.Forbidden, "contact.not_yours")
	}
	if err := s.db.DeleteContact(r.Context(), c.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// mergeCandidates finds the contacts one may merge into this one: by
// first name, last name, email or phone, in the lists he may edit.
func (s *Server) mergeCandidates(w http.ResponseWriter, r *http.Request) error {
	c, cs, err := s.contactFor(r, contacts.Edit)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	switch {
	case q == "":
		return apperr.Field("q", "field.required")
	case utf8.RuneCountInString(q) > maxSearchChars:
		return apperr.Field("q", "field.too_long", maxSearchChars)
	}
	limit, err := queryInt(r, "limit", 20, 1, maxMergeResults)
	if err != nil {
		return err
	}
	f := store.ContactFilter{AllLists: cs.all, ListIDs: cs.ids(true), Query: q, Phone: s.phones().SearchPrefix(q),
		Only: "merge", Except: c.ID, Sort: "created", Desc: true, Limit: limit}
	page, err := s.db.SearchContacts(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": page.Items})
	return nil
}

// mergeContact merges another contact into this one (the survivor).
func (s *Server) mergeContact(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		OtherID int64 `json:"other_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	survivor, _, err := s.contactFor(r, contacts.Edit)
	if err != nil {
		return err
	}
	switch {
	case in.OtherID <= 0:
		return apperr.Field("other_id", "field.required")
	case in.OtherID == survivor.ID:
		return apperr.Field("other_id", "contact.merge_self")
	}
	other, _, err := s.contactByID(r, in.OtherID, contacts.Edit)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Field("other_id", "id.unknown", in.OtherID)
	}
	if err != nil {
		return err
	}
	defs, err := s.db.ListFields(r.Context(), survivor.ListID)
	if err != nil {
		return err
	}
	values := contacts.Merge(survivor, other, defs)
	merged, err := s.db.MergeContacts(r.Context(), store.Merge{Survivor: survivor, Values: values, OtherID: other.ID},
		callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, merged)
	return nil
}

// copyContact duplicates a contact into a list: its own fields, tags and
// the custom values the list has fields for (fields sent fill or change
// them). Identities stay with the original: one belongs to one contact.
func (s *Server) copyContact(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		ListID int64          `json:"list_id"`
		Fields map[string]any `json:"fields"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	src, cs, err := s.contactFor(r, contacts.Read)
	if err != nil {
		return err
	}
	if in.ListID <= 0 {
		return apperr.Field("list_id", "field.required")
	}
	if err := editableList(cs, in.ListID, "list_id"); err != nil {
		return err
	}
	defs, err := s.db.ListFields(r.Context(), in.ListID)
	if err != nil {
		return err
	}
	cp := *src
	cp.ID, cp.ListID, cp.Identities = 0, in.ListID, []contacts.Identity{}
	cp.Fields = contacts.FieldsOf(contacts.ValuesOf(src.Fields, defs), defs)
	values, err := s.phones().Edit(&cp, contacts.Input{Fields: in.Fields}, defs)
	if err != nil {
		return err
	}
	tags := make([]int64, len(src.Tags))
	for n, t := range src.Tags {
		tags[n] = t.ID
	}
	saved, err := s.db.SaveContact(r.Context(), store.ContactWrite{Contact: &cp, Values: values, TagIDs: &tags,
		CopiedFrom: src.ID}, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, saved)
	return nil
}

// contactJourney is the customer journey: every interaction of the
// contact across channels in time order (order=desc: newest first). Each
// entry says whether the caller may open it (the interaction lists' rule).
func (s *Server) contactJourney(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.contactFor(r, contacts.Read)
	if err != nil {
		return err
	}
	desc := false
	switch r.URL.Query().Get("order") {
	case "", "asc":
	case "desc":
		desc = true
	default:
		return apperr.Field("order", "order.invalid")
	}
	limit, err := queryInt(r, "limit", 50, 1, 200)
	if err != nil {
		return err
	}
	cur := r.URL.Query().Get("cursor")
	if len(cur) > 1000 {
		return apperr.Field("cursor", "cursor.invalid")
	}
	page, err := s.db.Journey(r.Context(), c.ID, desc, limit, cur)
	if err != nil {
		return err
	}
	scope, err := s.interactionScope(r)
	if err != nil {
		return err
	}
	for _, e := range page.Items {
		e.CanOpen = scope.Allows(e.Interaction)
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// exportContacts downloads a search (every page of it) as CSV, masked like
// any answer to the caller. Custom fields of the lists searched follow the
// standard columns, by key.
func (s *Server) exportContacts(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.contactScope(r)
	if err != nil {
		return err
	}
	f, err := s.contactFilter(r, cs, false)
	if err != nil {
		return err
	}
	defs, err := s.searchedFields(r, f)
	if err != nil {
		return err
	}
	var keys []string
	seen := map[string]bool{}
	for _, d := range defs {
		if !seen[d.Key] {
			seen[d.Key] = true
			keys = append(keys, d.Key)
		}
	}
	header := []string{"id", "list", "first_name", "last_name", "company", "phone", "mobile", "fax", "email", "tags",
		"identities", "created_at", "updated_at"}
	cw, err := startCSV(w, "contacts.csv")
	if err != nil {
		return err
	}
	if err := cw.Write(append(header, keys...)); err != nil {
		return err
	}
	f.Limit, f.Cursor = 500, ""
	for {
		page, err := s.db.SearchContacts(r.Context(), f)
		if err != nil {
			return err
		}
		mask(r.Context(), page.Items)
		for _, c := range page.Items {
			if err := cw.Write(contactRow(c, keys)); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil || page.NextCursor == nil {
			return err
		}
		f.Cursor = *page.NextCursor
	}
}

// contactRow is a contact as an export row.
func contactRow(c *contacts.Contact, keys []string) []string {
	tags := make([]string, len(c.Tags))
	for n, t := range c.Tags {
		tags[n] = t.Name
	}
	ids := make([]string, len(c.Identities))
	for n, x := range c.Identities {
		ids[n] = x.Kind + ":" + x.Value
	}
	row := []string{strconv.FormatInt(c.ID, 10), c.ListName, c.FirstName, c.LastName, c.Company, c.Phone, c.Mobile, c.Fax,
		c.Email, strings.Join(tags, "; "), strings.Join(ids, "; "), c.CreatedAt.UTC().Format(time.RFC3339),
		c.UpdatedAt.UTC().Format(time.RFC3339)}
	for _, k := range keys {
		row = append(row, csvValue(c.Fields[k]))
	}
	return row
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Contacts: create, read, edit, copy, merge and delete, with their custom
// values, tags and channel identities, and who managed them.

const contactColumns = `c.id, c.list_id, l.name, c.first_name, c.last_name, c.company, c.phone, c.mobile, c.fax, c.email,
	c.created_at, c.updated_at`

const contactFrom = ` FROM contacts c JOIN lists l ON l.id = c.list_id`

// scanContact reads contactColumns, then extra.
func scanContact(r rowScanner, extra ...any) (*contacts.Contact, error) {
	var c contacts.Contact
	dest := append([]any{&c.ID, &c.ListID, &c.ListName, &c.FirstName, &c.LastName, &c.Company, &c.Phone, &c.Mobile,
		&c.Fax, &c.Email, &c.CreatedAt, &c.UpdatedAt}, extra...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.Tags, c.Fields, c.Identities = []contacts.TagRef{}, map[string]any{}, []contacts.Identity{}
	return &c, nil
}

// Contact returns one contact, complete.
func (db *DB) Contact(ctx context.Context, id int64) (*contacts.Contact, error) {
	return contactByID(ctx, db, id)
}

func contactByID(ctx context.Context, q querier, id int64) (*contacts.Contact, error) {
	c, err := scanContact(q.queryRow(ctx, `SELECT `+contactColumns+contactFrom+` WHERE c.id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return c, completeContacts(ctx, q, []*contacts.Contact{c})
}

// completeContacts adds the tags, custom values and identities of a page
// of contacts: one query for the whole page (one round trip, and one
// statement text whatever the page's size, so prepared once).
func completeContacts(ctx context.Context, q querier, list []*contacts.Contact) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*contacts.Contact, len(list))
	ids := make([]int64, 0, len(list))
	for _, c := range list {
		byID[c.ID] = c
		ids = append(ids, c.ID)
	}
	in, arg := q.oneOf("contact_id", ids)
	// Each part's rows are (part, contact, number, three texts, order):
	// tags (id, name, colour) in name order, custom values (key, type,
	// value), identities (kind, value) in kind and value order.
	rows, err := q.query(ctx, `SELECT 1, ct.contact_id, t.id, t.name, t.colour, '', lower(t.name) FROM contact_tags ct
			JOIN tags t ON t.id = ct.tag_id WHERE ct.`+in+`
		UNION ALL SELECT 2, v.contact_id, 0, f.key, f.type, v.value, '' FROM contact_values v
			JOIN list_fields f ON f.id = v.field_id WHERE v.`+in+`
		UNION ALL SELECT 3, contact_id, 0, kind, value, '', kind FROM contact_identities WHERE `+in+`
		ORDER BY 1, 2, 7, 3, 5`, arg, arg, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var part, id, number int64
		var a, b, c, order string
		if err := rows.Scan(&part, &id, &number, &a, &b, &c, &order); err != nil {
			return err
		}
		contact := byID[id]
		switch part {
		case 1:
			contact.Tags = append(contact.Tags, contacts.TagRef{ID: number, Name: a, Colour: b})
		case 2:
			field := contacts.Field{Key: a, Type: b}
			contact.Fields[a] = field.Value(c)
		case 3:
			contact.Identities = append(contact.Identities, contacts.Identity{Kind: a, Value: b})
		}
	}
	return rows.Err()
}

// ContactWrite is what creating (Contact.ID 0) or changing a contact
// stores: the contact's own fields, its custom values by field id (the
// whole set), its tags when TagIDs is set, and its identities when
// Identities is true (the whole set, from Contact.Identities).
type ContactWrite struct {
	Contact    *contacts.Contact
	Values     map[int64]string
	TagIDs     *[]int64
	Identities bool
	CopiedFrom int64 // a copy: the contact copied
}

// SaveContact creates or changes a contact; the actor becomes one of the
// contact's managers (his My Contacts). An identity another contact has
// is a conflict on identities.<n>; an unknown tag is invalid.
func (db *DB) SaveContact(ctx context.Context, w ContactWrite, actor int64) (*contacts.Contact, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.saveContact(ctx, w, actor)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Contact(ctx, id)
}

// indexNewContacts enters the contacts with ids from first to last, just
// created, into SQLite's full-text index (PostgreSQL's is a generated
// column). Every statement creating contacts calls it: a trigger would do
// it row by row and make SQLite keep a statement journal for every insert
// into contacts (migration 00016).
func (tx *Tx) indexNewContacts(ctx context.Context, first, last int64) error {
	if tx.db.dialect != SQLite {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO contacts_fts (rowid, first_name, last_name, company, email)
		SELECT id, first_name, last_name, company, email FROM contacts WHERE id BETWEEN ? AND ?`, first, last)
	return err
}

func (tx *Tx) saveContact(ctx context.Context, w ContactWrite, actor int64) (int64, error) {
	c := w.Contact
	id := c.ID
	typ := eventlog.ContactUpdated
	if id == 0 {
		typ = eventlog.ContactCreated
		if err := tx.requireRowField(ctx, "lists", c.ListID, "list_id"); err != nil {
			return 0, err
		}
		if err := tx.queryRow(ctx, `INSERT INTO contacts (list_id, first_name, last_name, company, phone, mobile, fax, email,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ListID, c.FirstName,
			c.LastName, c.Company, c.Phone, c.Mobile, c.Fax, c.Email, nullID(actorPtr(actor)), tx.now, tx.now).Scan(&id); err != nil {
			return 0, err
		}
		if err := tx.indexNewContacts(ctx, id, id); err != nil {
			return 0, err
		}
	} else {
		if err := updated(tx.exec(ctx, `UPDATE contacts SET first_name = ?, last_name = ?, company = ?, phone = ?, mobile = ?,
			fax = ?, email = ?, updated_at = ? WHERE id = ?`, c.FirstName, c.LastName, c.Company, c.Phone, c.Mobile, c.Fax,
			c.Email, tx.now, id)); err != nil {
			return 0, err
		}
		if _, err := tx.exec(ctx, `DELETE FROM contact_values WHERE contact_id = ?`, id); err != nil {
			return 0, err
		}
	}
	if err := tx.insertValues(ctx, id, w.Values); err != nil {
		return 0, err
	}
	if w.TagIDs != nil {
		if err := tx.setContactTags(ctx, id, *w.TagIDs); err != nil {
			return 0, err
		}
	}
	if w.Identities {
		if err := tx.setIdentities(ctx, id, c.Identities); err != nil {
			return 0, err
		}
	}
	if err := tx.markManaged(ctx, id, actor); err != nil {
		return 0, err
	}
	data := map[string]any{"list_id": c.ListID}
	if w.CopiedFrom != 0 {
		data["copied_from"] = w.CopiedFrom
		typ = eventlog.ContactCopied
	}
	err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "contact",
		SubjectID: &id, Data: eventlog.Data(data)})
	return id, err
}

func (tx *Tx) insertValues(ctx context.Context, contactID int64, values map[int64]string) error {
	for fieldID, v := range values {
		if v == "" {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO contact_values (contact_id, field_id, value) VALUES (?, ?, ?)`,
			contactID, fieldID, v); err != nil {
			return err
		}
	}
	return nil
}

// setContactTags replaces a contact's tags; every tag must exist.
func (tx *Tx) setContactTags(ctx context.Context, contactID int64, tagIDs []int64) error {
	seen := map[int64]bool{}
	var ids []int64
	for _, t := range tagIDs {
		if !seen[t] {
			seen[t] = true
			ids = append(ids, t)
		}
	}
	if len(ids) > 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM tags WHERE id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...).Scan(&n); err != nil {
			return err
		}
		if n != len(ids) {
			return apperr.Field("tag_ids", "tag.unknown")
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM contact_tags WHERE contact_id = ?`, contactID); err != nil {
		return err
	}
	for _, t := range ids {
		if _, err := tx.exec(ctx, `INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?)`, contactID, t); err != nil {
			return err
		}
	}
	return nil
}

// setIdentities replaces a contact's identities; one another contact has
// is a conflict naming it.
func (tx *Tx) setIdentities(ctx context.Context, contactID int64, ids []contacts.Identity) error {
	for n, x := range ids {
		var owner int64
		err := tx.queryRow(ctx, `SELECT contact_id FROM contact_identities WHERE kind = ? AND value = ?`, x.Kind, x.Value).Scan(&owner)
		if err == nil && owner != contactID {
			return &apperr.Error{Code: apperr.Conflict, Message: apperr.Message{Key: "error.conflict"},
				Fields: map[string]apperr.Message{"identities." + strconv.Itoa(n): {Key: "identity.taken", Args: []any{owner}}}}
		}
		if err != nil && !apperr.Is(mapError(err), apperr.NotFound) {
			return err
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM contact_identities WHERE contact_id = ?`, contactID); err != nil {
		return err
	}
	for _, x := range ids {
		if _, err := tx.exec(ctx, `INSERT INTO contact_identities (contact_id, kind, value) VALUES (?, ?, ?)`,
			contactID, x.Kind, x.Value); err != nil {
			return err
		}
	}
	return nil
}

// markManaged records that a principal managed a contact (his My
// Contacts); the system (0) manages nothing.
func (tx *Tx) markManaged(ctx context.Context, contactID, principal int64) error {
	if principal == 0 {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO contact_managers (principal_id, contact_id, managed_at) VALUES (?, ?, ?)
		ON CONFLICT (principal_id, contact_id) DO UPDATE SET managed_at = excluded.managed_at`, principal, contactID, tx.now)
	return err
}

// servedContact makes the contact of an interaction one its new owner
// managed (routing calls it when an agent takes the interaction).
func (tx *Tx) servedContact(ctx context.Context, interactionID, agentID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO contact_managers (principal_id, contact_id, managed_at)
		SELECT ?, contact_id, ? FROM interactions WHERE id = ? AND contact_id IS NOT NULL
		ON CONFLICT (principal_id, contact_id) DO UPDATE SET managed_at = excluded.managed_at`, agentID, tx.now, interactionID)
	return err
}

// Managed reports whether a principal managed a contact.
func (db *DB) Managed(ctx context.Context, principal, contactID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM contact_managers WHERE principal_id = ? AND contact_id = ?`,
		principal, contactID).Scan(&n)
	return n > 0, err
}

// DeleteContact deletes a contact with its values, tags and identities;
// its interactions stay, without a contact.
func (db *DB) DeleteContact(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var listID int64
		if err := tx.queryRow(ctx, `SELECT list_id FROM contacts WHERE id = ?`, id).Scan(&listID); err != nil {
			return mapError(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM contacts WHERE id = ?`, id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ContactDeleted, ActorID: actorPtr(actor),
			SubjectType: "contact", SubjectID: &id, Data: eventlog.Data(map[string]any{"list_id": listID})})
		return err
	})
}

// Merge is a merge of Other into the survivor: Survivor is the survivor
// as it will be (its empty fields filled from the other, see
// contacts.Merge) with its custom values.
type Merge struct {
	Survivor *contacts.Contact
	Values   map[int64]string
	OtherID  int64
}

// MergeContacts merges one contact into another in one transaction: the
// other's identities, tags, interactions and managers move to the
// survivor, the survivor takes the fields it lacked, the other is deleted;
// the merge is kept in contact_merges (with the merged contact as it was)
// and in the event log.
func (db *DB) MergeContacts(ctx context.Context, m Merge, actor int64) (*contacts.Contact, error) {
	survivor := m.Survivor.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		other, err := contactByID(ctx, tx, m.OtherID)
		if err != nil {
			return err
		}
		snapshot, err := json.Marshal(other)
		if err != nil {
			return err
		}
		if _, err := tx.saveContact(ctx, ContactWrite{Contact: m.Survivor, Values: m.Values}, actor); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE interactions SET contact_id = ? WHERE contact_id = ?`, survivor, other.ID)
		if err != nil {
			return err
		}
		moved, _ := res.RowsAffected()
		for _, q := range []string{
			`UPDATE contact_identities SET contact_id = ? WHERE contact_id = ?`,
			`INSERT INTO contact_tags (contact_id, tag_id) SELECT ?, tag_id FROM contact_tags WHERE contact_id = ?
				ON CONFLICT (contact_id, tag_id) DO NOTHING`,
			`INSERT INTO contact_managers (principal_id, contact_id, managed_at) SELECT principal_id, ?, managed_at
				FROM contact_managers WHERE contact_id = ? ON CONFLICT (principal_id, contact_id) DO NOTHING`,
			`UPDATE contact_merges SET survivor_id = ? WHERE survivor_id = ?`,
		} {
			if _, err := tx.exec(ctx, q, survivor, other.ID); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO contact_merges (survivor_id, merged_id, merged, actor_id, merged_at)
			VALUES (?, ?, ?, ?, ?)`, survivor, other.ID, string(snapshot), nullID(actorPtr(actor)), tx.now); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM contacts WHERE id = ?`, other.ID); err != nil {
			return err
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ContactMerged, ActorID: actorPtr(actor), SubjectType: "contact",
			SubjectID: &survivor, Data: eventlog.Data(map[string]any{"merged_id": other.ID, "merged_list_id": other.ListID,
				"interactions_moved": moved, "identities_moved": len(other.Identities)})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Contact(ctx, survivor)
}

// ContactRef names a contact (nil id: nil).
func (db *DB) ContactRef(ctx context.Context, id *int64) (*contacts.Ref, error) {
	if id == nil {
		return nil, nil
	}
	var ref contacts.Ref
	var first, last string
	err := db.queryRow(ctx, `SELECT id, list_id, first_name, last_name FROM contacts WHERE id = ?`, *id).
		Scan(&ref.ID, &ref.ListID, &first, &last)
	if err != nil {
		if apperr.Is(mapError(err), apperr.NotFound) {
			return nil, nil
		}
		return nil, err
	}
	ref.Name = strings.TrimSpace(first + " " + last)
	return &ref, nil
}

// MasksSensitiveData reports whether an agent's answers hide contacts'
// sensitive data (false for anyone who is not an agent).
func (db *DB) MasksSensitiveData(ctx context.Context, agentID int64) (bool, error) {
	var masks bool
	err := db.queryRow(ctx, `SELECT mask_sensitive_data FROM agents WHERE principal_id = ?`, agentID).Scan(&masks)
	if err != nil && apperr.Is(mapError(err), apperr.NotFound) {
		return false, nil
	}
	return masks, err
}

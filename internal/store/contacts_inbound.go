package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// An inbound interaction finds its contact: by the subject's identities,
// then by the phone numbers and email addresses contacts have. An unknown
// subject becomes a new contact in the default list of the interaction's
// account when the account's contact-manager trigger (create_contacts) is
// on. Either way the interaction is linked to its contact in the
// transaction that creates it.

// LinkContact is meant for NewInteraction.With: it finds (or creates) the
// contact of the subject — given the interaction's channel, which says
// what its contact key is — and links the new interaction to it.
func LinkContact(subject func(channel string) contacts.Subject) func(interactionID int64) TxFunc {
	return func(interactionID int64) TxFunc {
		return func(ctx context.Context, tx *Tx) error { return tx.linkContact(ctx, interactionID, subject) }
	}
}

// WithBoth runs two NewInteraction.With hooks (either may be nil) in order.
func WithBoth(a, b func(interactionID int64) TxFunc) func(interactionID int64) TxFunc {
	if a == nil || b == nil {
		if a == nil {
			return b
		}
		return a
	}
	return func(id int64) TxFunc { return Both(a(id), b(id)) }
}

func (tx *Tx) linkContact(ctx context.Context, interactionID int64, subject func(channel string) contacts.Subject) error {
	var account sql.NullInt64
	var channel string
	if err := tx.queryRow(ctx, `SELECT account_id, channel FROM interactions WHERE id = ?`, interactionID).
		Scan(&account, &channel); err != nil {
		return mapError(err)
	}
	sub := subject(channel)
	if sub.Empty() {
		return nil
	}
	var create bool
	var defaultList sql.NullInt64
	if account.Valid {
		if err := tx.queryRow(ctx, `SELECT create_contacts, default_list_id FROM accounts WHERE id = ?`, account.Int64).
			Scan(&create, &defaultList); err != nil {
			return mapError(err)
		}
	}
	contactID, err := tx.findContact(ctx, sub, defaultList.Int64)
	if err != nil {
		return err
	}
	switch {
	case contactID != 0:
		// He is known: what the channel calls him now finds him directly
		// next time (unless another contact already has it).
		for _, x := range sub.Identities {
			if _, err := tx.exec(ctx, `INSERT INTO contact_identities (contact_id, kind, value) VALUES (?, ?, ?)
				ON CONFLICT (kind, value) DO NOTHING`, contactID, x.Kind, x.Value); err != nil {
				return err
			}
		}
	case create && defaultList.Valid:
		c := sub.NewContact(defaultList.Int64)
		if err := tx.queryRow(ctx, `INSERT INTO contacts (list_id, first_name, last_name, phone, email, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ListID, c.FirstName, c.LastName, c.Phone, c.Email, tx.now, tx.now).
			Scan(&contactID); err != nil {
			return err
		}
		if err := tx.indexNewContacts(ctx, contactID, contactID); err != nil {
			return err
		}
		if err := tx.setIdentities(ctx, contactID, c.Identities); err != nil {
			return err
		}
		if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ContactCreated, SubjectType: "contact",
			SubjectID: &contactID, Data: eventlog.Data(map[string]any{"list_id": c.ListID, "interaction_id": interactionID,
				"account_id": account.Int64, "auto": true})}); err != nil {
			return err
		}
	default:
		return nil
	}
	_, err = tx.exec(ctx, `UPDATE interactions SET contact_id = ?, contact_name = CASE WHEN contact_name = '' THEN
		(SELECT trim(first_name || ' ' || last_name) FROM contacts WHERE id = ?) ELSE contact_name END WHERE id = ?`,
		contactID, contactID, interactionID)
	return err
}

// findContact returns the contact a subject is (0 when none): the one with
// one of his identities, else one whose phone, mobile or email is one of
// his; among several, one in preferList (the entry point's default list),
// then the oldest.
func (tx *Tx) findContact(ctx context.Context, sub contacts.Subject, preferList int64) (int64, error) {
	var conds []string
	var args []any
	for _, x := range sub.Identities {
		if x.Kind == contacts.KindPhone || x.Kind == contacts.KindWhatsApp {
			conds = append(conds, `(ci.kind IN ('phone', 'whatsapp') AND ci.value = ?)`)
			args = append(args, x.Value)
		} else {
			conds = append(conds, `(ci.kind = ? AND ci.value = ?)`)
			args = append(args, x.Kind, x.Value)
		}
	}
	id, err := tx.preferred(ctx, `SELECT c.id, c.list_id FROM contact_identities ci JOIN contacts c ON c.id = ci.contact_id
		WHERE `+strings.Join(conds, " OR "), args, preferList)
	if id != 0 || err != nil {
		return id, err
	}
	phones, emails := sub.Values(contacts.KindPhone, contacts.KindWhatsApp), sub.Values(contacts.KindEmail)
	var parts []string
	args = nil
	if len(phones) > 0 {
		in := "(" + placeholders(len(phones)) + ")"
		parts = append(parts, `SELECT id, list_id FROM contacts WHERE phone <> '' AND phone IN `+in,
			`SELECT id, list_id FROM contacts WHERE mobile <> '' AND mobile IN `+in)
		args = append(append(args, stringArgs(phones)...), stringArgs(phones)...)
	}
	if len(emails) > 0 {
		parts = append(parts, `SELECT id, list_id FROM contacts WHERE email <> '' AND email IN (`+placeholders(len(emails))+`)`)
		args = append(args, stringArgs(emails)...)
	}
	if len(parts) == 0 {
		return 0, nil
	}
	return tx.preferred(ctx, `SELECT m.id, m.list_id FROM (`+strings.Join(parts, " UNION ")+`) m`, args, preferList)
}

// preferred runs a query of (id, list_id) rows and picks one: in the
// preferred list first, then the lowest id.
func (tx *Tx) preferred(ctx context.Context, q string, args []any, preferList int64) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT p.id FROM (`+q+`) p ORDER BY CASE WHEN p.list_id = ? THEN 0 ELSE 1 END, p.id LIMIT 1`,
		append(args, preferList)...).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

func stringArgs(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

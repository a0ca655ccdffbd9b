package store

import (
	"context"
	"database/sql"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// An interaction's contact set by hand: the agent (or a supervisor) says
// who the customer is when the channel did not find him, or found the
// wrong one.

// InteractionContact is one such change. Identities says what the
// interaction's contact key (on its channel) makes of the customer
// (contacts.Subject): they become the contact's, so that his next
// interaction finds him.
type InteractionContact struct {
	InteractionID int64
	ContactID     int64
	Identities    func(channel, contactKey string) []contacts.Identity
	ActorID       int64
	// OwnerOnly: the actor is an agent, who may change only the
	// interactions he owns.
	OwnerOnly bool
}

// SetInteractionContact links an interaction to a contact. An identity
// goes to the contact unless another contact already has it (an identity
// names one contact) — except the contact the interaction was linked to
// before: the agent just said that one was wrong, so it moves. The owner
// of the interaction has served the contact (his My Contacts). Records
// interaction.contact_linked for the interaction's viewers.
func (db *DB) SetInteractionContact(ctx context.Context, in InteractionContact) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, queue, owner, err := tx.interactionRouting(ctx, in.InteractionID)
		if err != nil {
			return err
		}
		if in.OwnerOnly && (owner == nil || *owner != in.ActorID) {
			return apperr.New(apperr.Forbidden, "interaction.not_owner")
		}
		var previous sql.NullInt64
		var channel, key string
		if err := tx.queryRow(ctx, `SELECT contact_id, channel, contact_key FROM interactions WHERE id = ?`, in.InteractionID).
			Scan(&previous, &channel, &key); err != nil {
			return mapError(err)
		}
		var exists int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM contacts WHERE id = ?`, in.ContactID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 { // deleted since the caller read it
			return apperr.Field("contact_id", "id.unknown", in.ContactID)
		}
		added := []contacts.Identity{}
		for _, x := range in.Identities(channel, key) {
			n, err := tx.giveIdentity(ctx, x, in.ContactID, previous)
			if err != nil {
				return err
			}
			if n > 0 {
				added = append(added, x)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE interactions SET contact_id = ?, contact_name = CASE WHEN contact_name = '' THEN
			(SELECT trim(first_name || ' ' || last_name) FROM contacts WHERE id = ?) ELSE contact_name END WHERE id = ?`,
			in.ContactID, in.ContactID, in.InteractionID); err != nil {
			return err
		}
		if owner != nil {
			if err := tx.servedContact(ctx, in.InteractionID, *owner); err != nil {
				return err
			}
		}
		data := map[string]any{"interaction_id": in.InteractionID, "queue_id": queue, "contact_id": in.ContactID,
			"previous_contact_id": ptrID(previous), "identities_added": added}
		if owner != nil {
			data["agent_id"] = *owner
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionContactLinked, ActorID: actorPtr(in.ActorID),
			SubjectType: "interaction", SubjectID: &in.InteractionID, Data: eventlog.Data(data)})
		return err
	})
}

// giveIdentity makes an identity the contact's: taken from the
// interaction's previous contact, else added if no contact has it. It
// returns how many rows changed (0: another contact keeps it, or he has it
// already).
func (tx *Tx) giveIdentity(ctx context.Context, x contacts.Identity, contactID int64, previous sql.NullInt64) (int64, error) {
	if previous.Valid && previous.Int64 != contactID {
		res, err := tx.exec(ctx, `UPDATE contact_identities SET contact_id = ? WHERE kind = ? AND value = ? AND contact_id = ?`,
			contactID, x.Kind, x.Value, previous.Int64)
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return n, err
		}
	}
	res, err := tx.exec(ctx, `INSERT INTO contact_identities (contact_id, kind, value) VALUES (?, ?, ?)
		ON CONFLICT (kind, value) DO NOTHING`, contactID, x.Kind, x.Value)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

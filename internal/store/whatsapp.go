package store

import (
	"context"
	"database/sql"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// WhatsApp accounts: accounts of channel whatsapp with their provider's
// settings (whatsapp_settings). Their secrets are read here for the
// webhooks and the senders; the API never shows them.

const whatsappSelect = `SELECT a.id, a.channel, a.name, a.enabled, a.queue_id, a.default_list_id, a.mandatory_disposition,
	a.create_contacts, a.created_at, a.updated_at, s.provider, s.phone_number, s.phone_number_id, s.business_account_id,
	s.access_token, s.app_secret, s.verify_token, s.account_sid, s.auth_token, s.sender, s.webhook_key, s.api_base_url
	FROM accounts a JOIN whatsapp_settings s ON s.account_id = a.id`

func scanWhatsApp(r rowScanner) (*whatsapp.Account, error) {
	var a whatsapp.Account
	var ch string
	if err := r.Scan(&a.ID, &ch, &a.Name, &a.Enabled, &a.QueueID, &a.DefaultListID, &a.MandatoryDisposition,
		&a.CreateContacts, &a.CreatedAt, &a.UpdatedAt, &a.Provider, &a.PhoneNumber, &a.PhoneNumberID, &a.BusinessAccountID,
		&a.Secrets.AccessToken, &a.Secrets.AppSecret, &a.Secrets.VerifyToken, &a.AccountSID, &a.Secrets.AuthToken,
		&a.Sender, &a.WebhookKey, &a.APIBaseURL); err != nil {
		return nil, err
	}
	a.Channel = staff.Channel(ch)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return &a, nil
}

// WhatsAppAccounts returns every WhatsApp account ordered by name.
func (db *DB) WhatsAppAccounts(ctx context.Context) ([]*whatsapp.Account, error) {
	return queryAll(ctx, db, scanWhatsApp, whatsappSelect+` ORDER BY lower(a.name)`)
}

// WhatsAppAccount returns one WhatsApp account with its secrets.
func (db *DB) WhatsAppAccount(ctx context.Context, id int64) (*whatsapp.Account, error) {
	a, err := scanWhatsApp(db.queryRow(ctx, whatsappSelect+` WHERE a.id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return a, nil
}

// WhatsAppAccountByKey returns the account whose webhook URL carries key.
func (db *DB) WhatsAppAccountByKey(ctx context.Context, key string) (*whatsapp.Account, error) {
	a, err := scanWhatsApp(db.queryRow(ctx, whatsappSelect+` WHERE s.webhook_key = ?`, key))
	if err != nil {
		return nil, mapError(err)
	}
	return a, nil
}

// SaveWhatsAppAccount creates (ID 0) or changes a WhatsApp account. The
// webhook key is written only on creation. The caller has validated it
// (whatsapp.Account.Validate); the store checks the name, queue, list and
// that no other account has the business number.
func (db *DB) SaveWhatsAppAccount(ctx context.Context, a *whatsapp.Account, actor int64) (*whatsapp.Account, error) {
	id := a.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkAccount(ctx, &a.Account); err != nil {
			return err
		}
		var other int64
		err := tx.queryRow(ctx, `SELECT account_id FROM whatsapp_settings WHERE phone_number = ? AND account_id <> ?`,
			a.PhoneNumber, id).Scan(&other)
		if err == nil {
			return apperr.Field("phone_number", "whatsapp.number_taken")
		}
		if err != sql.ErrNoRows {
			return err
		}
		typ := eventlog.AccountUpdated
		if id == 0 {
			typ = eventlog.AccountCreated
			if err := tx.queryRow(ctx, `INSERT INTO accounts (channel, name, enabled, queue_id, default_list_id,
				mandatory_disposition, create_contacts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				string(staff.WhatsApp), a.Name, a.Enabled, nullID(a.QueueID), nullID(a.DefaultListID), a.MandatoryDisposition,
				a.CreateContacts, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO whatsapp_settings (account_id, provider, phone_number, webhook_key)
				VALUES (?, ?, ?, ?)`, id, a.Provider, a.PhoneNumber, a.WebhookKey); err != nil {
				return err
			}
		} else if err := updated(tx.exec(ctx, `UPDATE accounts SET name = ?, enabled = ?, queue_id = ?, default_list_id = ?,
			mandatory_disposition = ?, create_contacts = ?, updated_at = ? WHERE id = ? AND channel = ?`, a.Name, a.Enabled,
			nullID(a.QueueID), nullID(a.DefaultListID), a.MandatoryDisposition, a.CreateContacts, tx.now, id,
			string(staff.WhatsApp))); err != nil {
			return err
		}
		if err := updated(tx.exec(ctx, `UPDATE whatsapp_settings SET provider = ?, phone_number = ?, phone_number_id = ?,
			business_account_id = ?, access_token = ?, app_secret = ?, verify_token = ?, account_sid = ?, auth_token = ?,
			sender = ?, api_base_url = ? WHERE account_id = ?`, a.Provider, a.PhoneNumber, a.PhoneNumberID, a.BusinessAccountID,
			a.Secrets.AccessToken, a.Secrets.AppSecret, a.Secrets.VerifyToken, a.AccountSID, a.Secrets.AuthToken, a.Sender,
			a.APIBaseURL, id)); err != nil {
			return err
		}
		// The event names what changed, never a secret.
		err = tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "account", SubjectID: &id,
			Data: eventlog.Data(map[string]any{"channel": staff.WhatsApp, "name": a.Name, "enabled": a.Enabled,
				"queue_id": a.QueueID, "default_list_id": a.DefaultListID, "mandatory_disposition": a.MandatoryDisposition,
				"create_contacts": a.CreateContacts, "provider": a.Provider, "phone_number": a.PhoneNumber,
				"api_base_url": a.APIBaseURL})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.WhatsAppAccount(ctx, id)
}

// DeleteWhatsAppAccount deletes a WhatsApp account with its settings and
// its local dispositions and canned answers.
func (db *DB) DeleteWhatsAppAccount(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.deleteAccount(ctx, staff.WhatsApp, id, actor) })
}

// OpenConversation finds the customer's waiting or open interaction on an
// account by his contact key (0 when he has none): where his next message
// goes.
func (db *DB) OpenConversation(ctx context.Context, accountID int64, contactKey string) (int64, error) {
	return scanOpenConversation(db.queryRow(ctx, openConversationSQL, accountID, contactKey))
}

// OpenConversation is DB.OpenConversation in a transaction the caller runs
// (a conversation an agent starts checks there is none in the transaction
// that creates it).
func (tx *Tx) OpenConversation(ctx context.Context, accountID int64, contactKey string) (int64, error) {
	return scanOpenConversation(tx.queryRow(ctx, openConversationSQL, accountID, contactKey))
}

// NoOtherConversation refuses, in the transaction creating interactionID,
// when the customer has another waiting or open interaction on the account
// by then: two first messages of one number delivered at once, or an agent
// starting a conversation with him meanwhile. Interactions are created
// under the routing engine's lock, so the check and the creation cannot be
// overtaken. The refusal is ConversationOpened.
func NoOtherConversation(accountID int64, contactKey string) func(interactionID int64) TxFunc {
	return func(interactionID int64) TxFunc {
		return func(ctx context.Context, tx *Tx) error {
			var other int64
			err := tx.queryRow(ctx, `SELECT id FROM interactions WHERE account_id = ? AND contact_key = ?
				AND status IN ('waiting', 'open') AND id <> ? LIMIT 1`, accountID, contactKey, interactionID).Scan(&other)
			if err == sql.ErrNoRows {
				return nil
			}
			if err != nil {
				return err
			}
			return apperr.New(apperr.Conflict, ConversationOpened)
		}
	}
}

// ConversationOpened is the message key of NoOtherConversation's refusal.
const ConversationOpened = "whatsapp.conversation_opened"

const openConversationSQL = `SELECT id FROM interactions WHERE account_id = ? AND contact_key = ?
	AND status IN ('waiting', 'open') ORDER BY id DESC LIMIT 1`

func scanOpenConversation(row rowScanner) (int64, error) {
	var id int64
	err := row.Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// NameUnnamedInteraction gives an interaction the customer's name when it
// has none yet (a WhatsApp profile name arriving with a later message).
func (db *DB) NameUnnamedInteraction(ctx context.Context, id int64, name string) error {
	if name == "" {
		return nil
	}
	_, err := db.exec(ctx, `UPDATE interactions SET contact_name = ? WHERE id = ? AND contact_name = ''`, name, id)
	return err
}

// FirstInbound is meant for NewInteraction.With: the customer's first
// message (with its provider id and file) stored in the transaction that
// creates his interaction, so a conversation never exists without what
// started it and a provider's retry finds the message already there.
func FirstInbound(in Inbound) func(interactionID int64) TxFunc {
	return func(interactionID int64) TxFunc {
		return func(ctx context.Context, tx *Tx) error {
			in.InteractionID = interactionID
			_, err := tx.addInbound(ctx, in)
			return err
		}
	}
}

// InboundStored reports whether a message with this provider id is
// already stored (a provider retrying a delivery).
func (db *DB) InboundStored(ctx context.Context, providerID string) (bool, error) {
	m, err := db.messageByProvider(ctx, providerID)
	return m != nil, err
}

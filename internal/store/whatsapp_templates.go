package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// WhatsApp outbound: the accounts' message templates, the customer
// service window's clock (his last message) and what the sender reads.

const templateSelect = `SELECT id, account_id, name, language, category, body, parameter_count, available_for_agents,
	status, provider_id, created_at, updated_at FROM whatsapp_templates`

func scanTemplate(r rowScanner) (*whatsapp.Template, error) {
	var t whatsapp.Template
	if err := r.Scan(&t.ID, &t.AccountID, &t.Name, &t.Language, &t.Category, &t.Body, &t.ParameterCount,
		&t.AvailableForAgents, &t.Status, &t.ProviderID, &t.CreatedAt, &t.UpdatedAt); err != nil {
		return nil, err
	}
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return &t, nil
}

// WhatsAppTemplates lists an account's templates by name and language;
// forAgents keeps only the approved ones available for agents.
func (db *DB) WhatsAppTemplates(ctx context.Context, accountID int64, forAgents bool) ([]*whatsapp.Template, error) {
	q := templateSelect + ` WHERE account_id = ?`
	args := []any{accountID}
	if forAgents {
		q += ` AND available_for_agents AND status = ?`
		args = append(args, whatsapp.TemplateApproved)
	}
	rows, err := db.query(ctx, q+` ORDER BY name, language`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*whatsapp.Template{}
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// WhatsAppTemplate reads one template (not_found when unknown).
func (db *DB) WhatsAppTemplate(ctx context.Context, id int64) (*whatsapp.Template, error) {
	t, err := scanTemplate(db.queryRow(ctx, templateSelect+` WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return t, nil
}

// requireWhatsAppAccount checks an account is a WhatsApp one.
func (tx *Tx) requireWhatsAppAccount(ctx context.Context, id int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM whatsapp_settings WHERE account_id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	return nil
}

// SaveWhatsAppTemplate creates (ID 0) or changes an account's template,
// validated by the caller. Another template of the account with the same
// name and language is a conflict on name.
func (db *DB) SaveWhatsAppTemplate(ctx context.Context, t *whatsapp.Template, actor int64) (*whatsapp.Template, error) {
	id := t.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.requireWhatsAppAccount(ctx, t.AccountID); err != nil {
			return err
		}
		var other int64
		err := tx.queryRow(ctx, `SELECT id FROM whatsapp_templates WHERE account_id = ? AND name = ? AND language = ? AND id <> ?`,
			t.AccountID, t.Name, t.Language, id).Scan(&other)
		if err == nil {
			return apperr.Field("name", "template.taken")
		}
		if err != sql.ErrNoRows {
			return err
		}
		typ := eventlog.WhatsAppTemplateUpdated
		if id == 0 {
			typ = eventlog.WhatsAppTemplateCreated
			err = tx.queryRow(ctx, `INSERT INTO whatsapp_templates (account_id, name, language, category, body, parameter_count,
				available_for_agents, status, provider_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				t.AccountID, t.Name, t.Language, t.Category, t.Body, t.ParameterCount, t.AvailableForAgents, t.Status, t.ProviderID,
				tx.now, tx.now).Scan(&id)
		} else {
			err = updated(tx.exec(ctx, `UPDATE whatsapp_templates SET name = ?, language = ?, category = ?, body = ?, parameter_count = ?,
				available_for_agents = ?, status = ?, provider_id = ?, updated_at = ? WHERE id = ? AND account_id = ?`,
				t.Name, t.Language, t.Category, t.Body, t.ParameterCount, t.AvailableForAgents, t.Status, t.ProviderID, tx.now,
				id, t.AccountID))
		}
		if err != nil {
			return err
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "whatsapp_template",
			SubjectID: &id, Data: eventlog.Data(map[string]any{"account_id": t.AccountID, "name": t.Name, "language": t.Language,
				"available_for_agents": t.AvailableForAgents, "status": t.Status})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.WhatsAppTemplate(ctx, id)
}

// DeleteWhatsAppTemplate deletes one of an account's templates.
func (db *DB) DeleteWhatsAppTemplate(ctx context.Context, accountID, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := updated(tx.exec(ctx, `DELETE FROM whatsapp_templates WHERE id = ? AND account_id = ?`, id, accountID)); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.WhatsAppTemplateDeleted, ActorID: actorPtr(actor),
			SubjectType: "whatsapp_template", SubjectID: &id, Data: eventlog.Data(map[string]any{"account_id": accountID})})
		return err
	})
}

// SyncWhatsAppTemplates makes an account's synced templates match the
// provider's list: new ones are added (not yet available for agents — an
// admin chooses), known ones (by name and language) take the provider's
// body, category, status and id and keep the admin's choice, and synced
// ones the provider no longer has are disabled. Templates an admin
// defined by hand (no provider id) are left alone. One transaction.
func (db *DB) SyncWhatsAppTemplates(ctx context.Context, accountID int64, list []whatsapp.Template, actor int64) (int, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.requireWhatsAppAccount(ctx, accountID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE whatsapp_templates SET status = 'disabled', updated_at = ?
			WHERE account_id = ? AND provider_id <> ''`, tx.now, accountID); err != nil {
			return err
		}
		for _, t := range list {
			if _, err := tx.exec(ctx, `INSERT INTO whatsapp_templates (account_id, name, language, category, body, parameter_count,
				available_for_agents, status, provider_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?)
				ON CONFLICT (account_id, name, language) DO UPDATE SET category = excluded.category, body = excluded.body,
				parameter_count = excluded.parameter_count, status = excluded.status, provider_id = excluded.provider_id,
				updated_at = excluded.updated_at`, accountID, t.Name, t.Language, t.Category, t.Body, t.ParameterCount, t.Status,
				t.ProviderID, tx.now, tx.now); err != nil {
				return err
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.WhatsAppTemplatesSynced, ActorID: actorPtr(actor),
			SubjectType: "account", SubjectID: &accountID, Data: eventlog.Data(map[string]any{"templates": len(list)})})
		return err
	})
	return len(list), err
}

// LastInboundAt is when the customer (contactKey) last wrote on an
// account, in any of his interactions there (nil: never): the start of
// the WhatsApp customer service window.
func (db *DB) LastInboundAt(ctx context.Context, accountID int64, contactKey string) (*time.Time, error) {
	var at time.Time
	err := db.queryRow(ctx, `SELECT m.created_at FROM messages m JOIN interactions i ON i.id = m.interaction_id
		WHERE i.account_id = ? AND i.contact_key = ? AND m.direction = 'in' ORDER BY m.created_at DESC LIMIT 1`,
		accountID, contactKey).Scan(&at)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	at = at.UTC()
	return &at, nil
}

// InboundProviderID is the provider's id of one of an interaction's
// customer messages ("" when it has none): what a reply quotes.
func (db *DB) InboundProviderID(ctx context.Context, interactionID, messageID int64) (string, error) {
	var id sql.NullString
	err := db.queryRow(ctx, `SELECT provider_id FROM messages WHERE id = ? AND interaction_id = ? AND direction = 'in'`,
		messageID, interactionID).Scan(&id)
	if err == sql.ErrNoRows {
		return "", apperr.Field("reply_to", "id.unknown", messageID)
	}
	return id.String, err
}

// OutboundFile reads a message's file for the WhatsApp sender.
func (db *DB) OutboundFile(ctx context.Context, attachmentID int64) (*whatsapp.File, error) {
	a, _, data, err := db.Attachment(ctx, attachmentID)
	if err != nil {
		return nil, err
	}
	return &whatsapp.File{Name: a.Name, ContentType: a.ContentType, Data: data}, nil
}

// SiteSecret returns the site's random secret of a purpose (signed media
// links), made on first use and the same on every node sharing the
// database. It is kept in settings, which no API shows whole.
func (db *DB) SiteSecret(ctx context.Context, purpose string) ([]byte, error) {
	key := "secret." + purpose
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	fresh := `"` + hex.EncodeToString(b) + `"`
	if _, err := db.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, fresh, db.clock.Now().UTC()); err != nil {
		return nil, fmt.Errorf("store: secret: %w", err)
	}
	var s string
	if _, err := db.Setting(ctx, key, &s); err != nil {
		return nil, err
	}
	return hex.DecodeString(s)
}

// FindContact is the Contact Manager's contact of a subject (by its
// identities, then its phone numbers and emails; one in preferList first),
// 0 when none: who an agent is about to write to.
func (db *DB) FindContact(ctx context.Context, sub contacts.Subject, preferList int64) (int64, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.findContact(ctx, sub, preferList)
		return err
	})
	return id, err
}

// WindowStart is when the customer of an interaction last wrote on its
// account, in any of his interactions there (nil: never).
func (db *DB) WindowStart(ctx context.Context, interactionID int64) (*time.Time, error) {
	var account sql.NullInt64
	var key string
	if err := db.queryRow(ctx, `SELECT account_id, contact_key FROM interactions WHERE id = ?`, interactionID).
		Scan(&account, &key); err != nil {
		return nil, mapError(err)
	}
	if !account.Valid || key == "" {
		return nil, nil
	}
	return db.LastInboundAt(ctx, account.Int64, key)
}

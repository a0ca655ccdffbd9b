package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// Accounts returns every account (of one channel when channel is set),
// ordered by name, as selectors list them.
func (db *DB) Accounts(ctx context.Context, channel staff.Channel) ([]*conversation.AccountRef, error) {
	q, args := `SELECT id, channel, name, enabled FROM accounts`, []any{}
	if channel != "" {
		q += ` WHERE channel = ?`
		args = append(args, string(channel))
	}
	rows, err := db.query(ctx, q+` ORDER BY lower(name)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*conversation.AccountRef{}
	for rows.Next() {
		var a conversation.AccountRef
		var ch string
		if err := rows.Scan(&a.ID, &ch, &a.Name, &a.Enabled); err != nil {
			return nil, err
		}
		a.Channel = staff.Channel(ch)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// checkAccount enforces what the schema cannot say nicely: a free name, a
// queue that exists and serves the account's channel, a list that exists.
func (tx *Tx) checkAccount(ctx context.Context, a *conversation.Account) error {
	if err := tx.checkNameFree(ctx, "accounts", a.Name, a.ID); err != nil {
		return err
	}
	if a.QueueID != nil {
		var ch string
		err := tx.queryRow(ctx, `SELECT channel FROM queues WHERE id = ?`, *a.QueueID).Scan(&ch)
		if err != nil {
			if apperr.Is(mapError(err), apperr.NotFound) {
				return apperr.Field("queue_id", "id.unknown", *a.QueueID)
			}
			return err
		}
		if staff.Channel(ch) != a.Channel {
			return apperr.Field("queue_id", "queue.channel_mismatch")
		}
	}
	if a.DefaultListID != nil {
		return tx.requireRowField(ctx, "lists", *a.DefaultListID, "default_list_id")
	}
	return nil
}

// deleteAccount deletes an account with its settings and its local
// dispositions and canned answers (PostgreSQL's foreign keys would cascade;
// SQLite has none on those two tables).
func (tx *Tx) deleteAccount(ctx context.Context, channel staff.Channel, id, actor int64) error {
	res, err := tx.exec(ctx, `DELETE FROM accounts WHERE id = ? AND channel = ?`, id, string(channel))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	for _, table := range []string{"dispositions", "canned_answers"} {
		if _, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE account_id = ?`, id); err != nil {
			return err
		}
	}
	err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.AccountDeleted, ActorID: actorPtr(actor), SubjectType: "account",
		SubjectID: &id, Data: eventlog.Data(map[string]any{"channel": channel})})
	return err
}

// ---- websites

const websiteSelect = `SELECT a.id, a.channel, a.name, a.enabled, a.queue_id, a.default_list_id, a.mandatory_disposition,
	a.create_contacts, a.created_at, a.updated_at, s.widget_key, s.allowed_origins, s.title, s.colour, s.online_form, s.offline_form,
	s.offline_message, s.attachments_enabled, s.max_attachment_mb
	FROM accounts a JOIN website_settings s ON s.account_id = a.id`

func scanWebsite(r rowScanner) (*conversation.Website, error) {
	var w conversation.Website
	var ch, origins, online, offline string
	if err := r.Scan(&w.ID, &ch, &w.Name, &w.Enabled, &w.QueueID, &w.DefaultListID, &w.MandatoryDisposition,
		&w.CreateContacts, &w.CreatedAt, &w.UpdatedAt, &w.WidgetKey, &origins, &w.Title, &w.Colour, &online, &offline,
		&w.OfflineMessage, &w.AttachmentsEnabled, &w.MaxAttachmentMB); err != nil {
		return nil, err
	}
	w.Channel = staff.Channel(ch)
	for _, js := range []struct {
		name string
		src  string
		dst  any
	}{{"allowed_origins", origins, &w.AllowedOrigins}, {"online_form", online, &w.OnlineForm}, {"offline_form", offline, &w.OfflineForm}} {
		if err := json.Unmarshal([]byte(js.src), js.dst); err != nil {
			return nil, fmt.Errorf("store: website %d %s: %w", w.ID, js.name, err)
		}
	}
	return &w, nil
}

// Websites returns every chat website ordered by name.
func (db *DB) Websites(ctx context.Context) ([]*conversation.Website, error) {
	return queryAll(ctx, db, scanWebsite, websiteSelect+` ORDER BY lower(a.name)`)
}

// Website returns one chat website.
func (db *DB) Website(ctx context.Context, id int64) (*conversation.Website, error) {
	w, err := scanWebsite(db.queryRow(ctx, websiteSelect+` WHERE a.id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return w, nil
}

// WebsiteByKey returns the website with this widget key; a rotated-out key
// is not found.
func (db *DB) WebsiteByKey(ctx context.Context, key string) (*conversation.Website, error) {
	w, err := scanWebsite(db.queryRow(ctx, websiteSelect+` WHERE s.widget_key = ?`, key))
	if err != nil {
		return nil, mapError(err)
	}
	return w, nil
}

// SaveWebsite creates (ID 0) or changes a chat website. Its widget key is
// written only on creation: RotateWebsiteKey changes it.
func (db *DB) SaveWebsite(ctx context.Context, w *conversation.Website, actor int64) (*conversation.Website, error) {
	id := w.ID
	origins, err := json.Marshal(w.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	online, err := json.Marshal(w.OnlineForm)
	if err != nil {
		return nil, err
	}
	offline, err := json.Marshal(w.OfflineForm)
	if err != nil {
		return nil, err
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkAccount(ctx, &w.Account); err != nil {
			return err
		}
		typ := eventlog.AccountUpdated
		if id == 0 {
			typ = eventlog.AccountCreated
			if err := tx.queryRow(ctx, `INSERT INTO accounts (channel, name, enabled, queue_id, default_list_id,
				mandatory_disposition, create_contacts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				string(staff.Chat), w.Name, w.Enabled, nullID(w.QueueID), nullID(w.DefaultListID), w.MandatoryDisposition,
				w.CreateContacts, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO website_settings (account_id, widget_key, allowed_origins, title, colour,
				online_form, offline_form, offline_message, attachments_enabled, max_attachment_mb)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, w.WidgetKey, string(origins), w.Title, w.Colour, string(online),
				string(offline), w.OfflineMessage, w.AttachmentsEnabled, w.MaxAttachmentMB); err != nil {
				return err
			}
		} else {
			if err := updated(tx.exec(ctx, `UPDATE accounts SET name = ?, enabled = ?, queue_id = ?, default_list_id = ?,
				mandatory_disposition = ?, create_contacts = ?, updated_at = ? WHERE id = ? AND channel = ?`, w.Name, w.Enabled,
				nullID(w.QueueID), nullID(w.DefaultListID), w.MandatoryDisposition, w.CreateContacts, tx.now, id,
				string(staff.Chat))); err != nil {
				return err
			}
			if err := updated(tx.exec(ctx, `UPDATE website_settings SET allowed_origins = ?, title = ?, colour = ?,
				online_form = ?, offline_form = ?, offline_message = ?, attachments_enabled = ?, max_attachment_mb = ?
				WHERE account_id = ?`, string(origins), w.Title, w.Colour, string(online), string(offline), w.OfflineMessage,
				w.AttachmentsEnabled, w.MaxAttachmentMB, id)); err != nil {
				return err
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "account", SubjectID: &id,
			Data: eventlog.Data(map[string]any{"channel": staff.Chat, "name": w.Name, "enabled": w.Enabled,
				"queue_id": w.QueueID, "default_list_id": w.DefaultListID, "mandatory_disposition": w.MandatoryDisposition,
				"create_contacts": w.CreateContacts,
				"allowed_origins": w.AllowedOrigins})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Website(ctx, id)
}

// RotateWebsiteKey gives a website a new widget key; the old one stops
// working at once.
func (db *DB) RotateWebsiteKey(ctx context.Context, id int64, key string, actor int64) (*conversation.Website, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := updated(tx.exec(ctx, `UPDATE website_settings SET widget_key = ? WHERE account_id = ?`, key, id)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE accounts SET updated_at = ? WHERE id = ?`, tx.now, id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.AccountKeyRotated, ActorID: actorPtr(actor),
			SubjectType: "account", SubjectID: &id})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Website(ctx, id)
}

// DeleteWebsite deletes a chat website with its settings and its local
// dispositions and canned answers.
func (db *DB) DeleteWebsite(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.deleteAccount(ctx, staff.Chat, id, actor) })
}

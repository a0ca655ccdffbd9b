package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/outbox"
)

// The durable outbox (internal/outbox says how it works): rows written in
// the transaction of the agent's message, claimed with a lease, and the
// result of each send committed on its own at once.

// enqueueOutbox adds a message's outbox row, due now.
func (tx *Tx) enqueueOutbox(ctx context.Context, messageID int64, e outbox.Entry) error {
	payload := []byte("{}")
	if e.Payload != nil {
		var err error
		if payload, err = json.Marshal(e.Payload); err != nil {
			return fmt.Errorf("store: outbox payload: %w", err)
		}
	}
	var account any
	if e.AccountID != 0 {
		account = e.AccountID
	}
	_, err := tx.exec(ctx, `INSERT INTO outbox (channel, account_id, message_id, payload, state, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`, e.Channel, account, messageID, string(payload), tx.now, tx.now, tx.now)
	return err
}

// nothingBefore is true of an outbox row c when no earlier message of its
// conversation is still waiting to go out (pending, perhaps for a retry,
// or being sent): a customer reads a conversation's messages in the order
// the agent wrote them, so a message that failed and waits for its retry
// holds back the ones written after it, and a crashed worker's leased row
// holds them until its lease runs out. Messages of other conversations
// are not held.
const nothingBefore = `NOT EXISTS (SELECT 1 FROM outbox e
		JOIN messages em ON em.id = e.message_id
		JOIN messages cm ON cm.id = c.message_id
		WHERE e.id < c.id AND e.state IN ('pending', 'sending') AND em.interaction_id = cm.interaction_id)`

// ClaimOutbox takes up to limit due rows — pending ones whose time has
// come, and "sending" ones whose worker's lease ran out (it died), each
// only when nothing before it in its conversation waits (nothingBefore) — marks
// them sending until now+lease and counts the attempt. On PostgreSQL rows
// another node is claiming are skipped (FOR UPDATE SKIP LOCKED); SQLite's
// single writer serialises claims.
func (db *DB) ClaimOutbox(ctx context.Context, lease time.Duration, limit int) ([]outbox.Job, error) {
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var jobs []outbox.Job
	err := db.InTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?, updated_at = ?
			WHERE id IN (SELECT c.id FROM outbox c
				WHERE ((c.state = 'pending' AND c.next_attempt_at <= ?) OR (c.state = 'sending' AND c.lease_until <= ?))
					AND `+nothingBefore+`
				ORDER BY c.next_attempt_at, c.id LIMIT ?`+lock+`)
			RETURNING id, channel, account_id, message_id, payload, attempts`,
			tx.now.Add(lease), tx.now, tx.now, tx.now, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var j outbox.Job
			var account sql.NullInt64
			var payload string
			if err := rows.Scan(&j.ID, &j.Channel, &account, &j.MessageID, &payload, &j.Attempt); err != nil {
				return err
			}
			j.AccountID, j.Payload = account.Int64, json.RawMessage(payload)
			jobs = append(jobs, j)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range jobs {
			if err := tx.fillJob(ctx, &jobs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return jobs, err
}

// fillJob adds the message and its interaction's customer address to a job.
func (tx *Tx) fillJob(ctx context.Context, j *outbox.Job) error {
	var file sql.NullInt64
	err := tx.queryRow(ctx, `SELECT m.interaction_id, m.body, m.attachment_id, i.contact_key FROM messages m
		JOIN interactions i ON i.id = m.interaction_id WHERE m.id = ?`, j.MessageID).Scan(&j.InteractionID, &j.Body, &file, &j.To)
	if err != nil {
		return fmt.Errorf("store: outbox job %d: %w", j.ID, err)
	}
	j.AttachmentID = ptrID(file)
	return nil
}

// NextOutboxDue is when the outbox next has work: the earliest time of a
// pending row nothing holds back (a held one goes when the row before it
// does, whose own time or lease is counted) or "sending" row's lease end
// (nil when there is none).
func (db *DB) NextOutboxDue(ctx context.Context) (*time.Time, error) {
	var next *time.Time
	// One ordered query per state rather than min(): SQLite's min() of a
	// timestamp is plain text.
	for _, q := range []string{
		`SELECT c.next_attempt_at FROM outbox c WHERE c.state = 'pending' AND ` + nothingBefore + ` ORDER BY c.next_attempt_at LIMIT 1`,
		`SELECT lease_until FROM outbox WHERE state = 'sending' ORDER BY lease_until LIMIT 1`,
	} {
		var at time.Time
		err := db.queryRow(ctx, q).Scan(&at)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: outbox due: %w", err)
		}
		if at = at.UTC(); next == nil || at.Before(*next) {
			next = &at
		}
	}
	return next, nil
}

// OutboxSent records that the provider accepted a job: the row is sent,
// the message carries the provider's id (its status callbacks look it up
// by that) and desks hear "sent". Statuses that arrived before this commit
// are applied now. A row that is no longer being sent (another worker
// recorded it) changes nothing.
func (db *DB) OutboxSent(ctx context.Context, j outbox.Job, providerMessageID string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE outbox SET state = 'sent', provider_message_id = ?, lease_until = NULL, last_error = '', updated_at = ?
			WHERE id = ? AND state IN ('pending', 'sending')`, providerMessageID, tx.now, j.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE messages SET provider_id = ? WHERE id = ?`, providerMessageID, j.MessageID); err != nil {
			return err
		}
		if err := tx.outboundDeliveryEvent(ctx, j.MessageID, "sent", ""); err != nil {
			return err
		}
		return tx.applyEarlyStatuses(ctx, j.MessageID, providerMessageID)
	})
}

// OutboxRetry puts a job back for another try at next, keeping why this
// one failed; only the claim that holds the row may.
func (db *DB) OutboxRetry(ctx context.Context, j outbox.Job, next time.Time, reason string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, lease_until = NULL, last_error = ?, updated_at = ?
			WHERE id = ? AND state = 'sending' AND attempts = ?`, next.UTC(), reason, tx.now, j.ID, j.Attempt)
		return err
	})
}

// OutboxFailed gives a job up (the provider refused it, or every try
// failed): the message's delivery becomes "failed" with reason, for the
// agent to read, and desks hear it.
func (db *DB) OutboxFailed(ctx context.Context, j outbox.Job, reason string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE outbox SET state = 'failed', lease_until = NULL, last_error = ?, updated_at = ?
			WHERE id = ? AND state = 'sending' AND attempts = ?`, reason, tx.now, j.ID, j.Attempt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		_, err = tx.moveOutbound(ctx, j.MessageID, "failed", reason)
		return err
	})
}

// OutboxEntry is an outbox row as an operator or a test sees it.
type OutboxEntry struct {
	ID                int64
	MessageID         int64
	State             string
	Attempts          int
	NextAttemptAt     time.Time
	LastError         string
	ProviderMessageID string
}

// OutboxOf reads the outbox row of a message (not_found when it has none).
func (db *DB) OutboxOf(ctx context.Context, messageID int64) (*OutboxEntry, error) {
	var e OutboxEntry
	var provider sql.NullString
	err := db.queryRow(ctx, `SELECT id, message_id, state, attempts, next_attempt_at, last_error, provider_message_id
		FROM outbox WHERE message_id = ?`, messageID).Scan(&e.ID, &e.MessageID, &e.State, &e.Attempts, &e.NextAttemptAt,
		&e.LastError, &provider)
	if err != nil {
		return nil, mapError(err)
	}
	e.NextAttemptAt, e.ProviderMessageID = e.NextAttemptAt.UTC(), provider.String
	return &e, nil
}

// OutboundStatus is a provider's report on a message we sent: its id at
// the provider, what became of it and when.
type OutboundStatus struct {
	AccountID         int64
	ProviderMessageID string
	State             string // sent, delivered, read, failed
	ErrorCode         string // failed: the provider's code …
	ErrorText         string // … and words
	At                time.Time
}

// ApplyOutboundStatus moves the message a provider reports on to the
// reported delivery state when that is a step forward (see deliveryFrom):
// a late "sent" or "delivered" after "read" changes nothing, "failed"
// after "delivered" is kept (the provider knows better), nothing moves
// after "read" or "failed". A change writes a message.delivery event.
//
// A status for an id not stored yet is kept and applied when the send's
// answer is committed (OutboxSent): the provider's webhook can overtake
// that commit. Ids never claimed are swept (SweepEarlyStatuses). An
// unknown state is invalid on "status".
func (db *DB) ApplyOutboundStatus(ctx context.Context, st OutboundStatus) error {
	if _, ok := deliveryFrom[st.State]; !ok {
		return apperr.Field("status", "delivery.invalid")
	}
	if st.ProviderMessageID == "" {
		return apperr.Field("id", "field.required")
	}
	return db.InTx(ctx, func(tx *Tx) error {
		var messageID int64
		err := tx.queryRow(ctx, `SELECT id FROM messages WHERE provider_id = ? AND direction = 'out'`, st.ProviderMessageID).Scan(&messageID)
		if err == sql.ErrNoRows {
			return tx.keepEarlyStatus(ctx, st)
		}
		if err != nil {
			return err
		}
		_, err = tx.moveOutbound(ctx, messageID, st.State, statusReason(st.ErrorCode, st.ErrorText))
		return err
	})
}

// statusReason is a provider's failure as the agent reads it.
func statusReason(code, text string) string {
	switch {
	case code == "":
		return text
	case text == "":
		return code
	}
	return text + " (" + code + ")"
}

func (tx *Tx) keepEarlyStatus(ctx context.Context, st OutboundStatus) error {
	at := st.At
	if at.IsZero() {
		at = tx.now
	}
	var account any
	if st.AccountID != 0 {
		account = st.AccountID
	}
	_, err := tx.exec(ctx, `INSERT INTO outbound_early_statuses (provider_message_id, state, account_id, error_code, error_text, reported_at, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider_message_id, state) DO NOTHING`,
		st.ProviderMessageID, st.State, account, st.ErrorCode, st.ErrorText, at.UTC(), tx.now)
	return err
}

// applyEarlyStatuses applies, in the order of the delivery states, the
// statuses kept for a provider id before it was stored, and drops them.
func (tx *Tx) applyEarlyStatuses(ctx context.Context, messageID int64, providerID string) error {
	rows, err := tx.query(ctx, `SELECT state, error_code, error_text FROM outbound_early_statuses WHERE provider_message_id = ?
		ORDER BY CASE state WHEN 'sent' THEN 0 WHEN 'delivered' THEN 1 WHEN 'read' THEN 2 ELSE 3 END`, providerID)
	if err != nil {
		return err
	}
	type early struct{ state, code, text string }
	var found []early
	for rows.Next() {
		var e early
		if err := rows.Scan(&e.state, &e.code, &e.text); err != nil {
			rows.Close()
			return err
		}
		found = append(found, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range found {
		if _, err := tx.moveOutbound(ctx, messageID, e.state, statusReason(e.code, e.text)); err != nil {
			return err
		}
	}
	if len(found) == 0 {
		return nil
	}
	_, err = tx.exec(ctx, `DELETE FROM outbound_early_statuses WHERE provider_message_id = ?`, providerID)
	return err
}

// SweepEarlyStatuses drops kept statuses older than before: statuses of
// messages some other system sent from the same number never find theirs.
func (db *DB) SweepEarlyStatuses(ctx context.Context, before time.Time) error {
	_, err := db.exec(ctx, `DELETE FROM outbound_early_statuses WHERE received_at < ?`, before.UTC())
	return err
}

// moveOutbound moves an outbound message's delivery state forward (a
// "failed" also keeps reason for the agent) and tells the desks.
func (tx *Tx) moveOutbound(ctx context.Context, messageID int64, state, reason string) (bool, error) {
	ids, err := tx.moveDelivery(ctx, `id = ?`, []any{messageID}, state, deliveryFrom[state])
	if err != nil || len(ids) == 0 {
		return false, err
	}
	if state == "failed" {
		if _, err := tx.exec(ctx, `UPDATE messages SET delivery_error = ? WHERE id = ?`, reason, messageID); err != nil {
			return false, err
		}
	} else {
		reason = ""
	}
	return true, tx.outboundDeliveryEvent(ctx, messageID, state, reason)
}

// outboundDeliveryEvent is the message.delivery event of deliveryEvents
// for one outbound message, with the provider's reason when it failed.
func (tx *Tx) outboundDeliveryEvent(ctx context.Context, messageID int64, state, reason string) error {
	var interactionID int64
	if err := tx.queryRow(ctx, `SELECT interaction_id FROM messages WHERE id = ?`, messageID).Scan(&interactionID); err != nil {
		return mapError(err)
	}
	_, queue, owner, err := tx.interactionRouting(ctx, interactionID)
	if err != nil {
		return err
	}
	data := map[string]any{"interaction_id": interactionID, "queue_id": queue, "agent_id": owner, "message_id": messageID,
		"direction": "out", "delivery": state}
	if reason != "" {
		data["delivery_error"] = reason
	}
	err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.MessageDelivery,
		SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(data)})
	return err
}

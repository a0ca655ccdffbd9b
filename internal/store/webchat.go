package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/webchat"
)

// ChatSession is a website chat: the interaction a widget started, with
// the form the customer filled. Its token's hash is stored, never the
// token.
type ChatSession struct {
	ID            int64
	AccountID     int64
	InteractionID int64
	Offline       bool // an offline message: no token, no conversation
	Form          webchat.Answers
	Origin        string // the page origin it was started from ("" when none was sent)
	CreatedAt     time.Time
	ClosedBy      string // "customer", "agent", or "" (open, or closed by the system)
	tokenHash     string
}

// TokenHash is the stored hash of the chat's token ("" for an offline one).
func (c *ChatSession) TokenHash() string { return c.tokenHash }

// StartChat records a chat for the interaction being created: it is meant
// for NewInteraction.With, so the interaction and its chat are stored in
// one transaction. tokenHash is "" for an offline message. c.ID is set.
func StartChat(c *ChatSession, tokenHash string) func(interactionID int64) TxFunc {
	return func(interactionID int64) TxFunc {
		return func(ctx context.Context, tx *Tx) error {
			form, err := json.Marshal(append([]webchat.Answer{}, c.Form...)) // an array, never null
			if err != nil {
				return err
			}
			var hash any
			if tokenHash != "" {
				hash = tokenHash
			}
			c.InteractionID, c.CreatedAt, c.tokenHash = interactionID, tx.now, tokenHash
			return tx.queryRow(ctx, `INSERT INTO chat_sessions (account_id, interaction_id, token_hash, offline, form, origin, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.AccountID, interactionID, hash, c.Offline, string(form), c.Origin,
				tx.now).Scan(&c.ID)
		}
	}
}

const chatSelect = `SELECT id, account_id, interaction_id, token_hash, offline, form, origin, created_at, closed_by FROM chat_sessions`

func scanChat(r rowScanner) (*ChatSession, error) {
	var c ChatSession
	var hash, closedBy sql.NullString
	var form string
	if err := r.Scan(&c.ID, &c.AccountID, &c.InteractionID, &hash, &c.Offline, &form, &c.Origin, &c.CreatedAt, &closedBy); err != nil {
		return nil, err
	}
	var answers []webchat.Answer
	if err := json.Unmarshal([]byte(form), &answers); err != nil {
		return nil, fmt.Errorf("store: chat %d form: %w", c.ID, err)
	}
	c.Form, c.tokenHash, c.ClosedBy, c.CreatedAt = answers, hash.String, closedBy.String, c.CreatedAt.UTC()
	return &c, nil
}

// ChatByTokenHash finds the chat a token opens; not_found when none.
func (db *DB) ChatByTokenHash(ctx context.Context, hash string) (*ChatSession, error) {
	c, err := scanChat(db.queryRow(ctx, chatSelect+` WHERE token_hash = ?`, hash))
	if err != nil {
		return nil, mapError(err)
	}
	return c, nil
}

// ChatOfInteraction returns the chat that started an interaction, nil when
// it was not started by a widget.
func (db *DB) ChatOfInteraction(ctx context.Context, interactionID int64) (*ChatSession, error) {
	c, err := scanChat(db.queryRow(ctx, chatSelect+` WHERE interaction_id = ?`, interactionID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return c, err
}

// ChatClosedBy records who ended an interaction's chat ("customer" or
// "agent"), in the close's transaction (acd's With). An interaction that is
// not a chat has no row, and nothing changes; the first word stays.
func ChatClosedBy(interactionID int64, by string) TxFunc {
	return func(ctx context.Context, tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE chat_sessions SET closed_by = ? WHERE interaction_id = ? AND closed_by IS NULL`,
			by, interactionID)
		return err
	}
}

// ChatProviderID is the provider id a customer's message sent from the
// widget is stored under, so a resend (same client id, after a reconnect)
// is stored once.
func ChatProviderID(chatID int64, clientID string) string {
	return "webchat:" + strconv.FormatInt(chatID, 10) + ":" + clientID
}

// ChatClientIDs returns, for the customer's messages of a chat with ids in
// (after, upTo], the widget's client id of each (messages that came
// without one are absent), so the widget can match what it sent with what
// was stored.
func (db *DB) ChatClientIDs(ctx context.Context, c *ChatSession, after, upTo int64) (map[int64]string, error) {
	prefix := ChatProviderID(c.ID, "")
	rows, err := db.query(ctx, `SELECT id, provider_id FROM messages WHERE interaction_id = ? AND id > ? AND id <= ?
		AND direction = 'in' AND provider_id IS NOT NULL`, c.InteractionID, after, upTo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var provider string
		if err := rows.Scan(&id, &provider); err != nil {
			return nil, err
		}
		if cid, ok := strings.CutPrefix(provider, prefix); ok {
			out[id] = cid
		}
	}
	return out, rows.Err()
}

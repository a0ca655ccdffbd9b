package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Message is one message of an interaction's conversation: "in" from the
// customer, "out" from an agent (AuthorID).
type Message struct {
	ID            int64     `json:"id"`
	InteractionID int64     `json:"-"`
	Direction     string    `json:"direction"`
	AuthorID      *int64    `json:"author_id"`
	Body          string    `json:"body"`
	CreatedAt     time.Time `json:"created_at"`
	Delivery      string    `json:"delivery"` // sent, delivered, read, failed
}

// Note is an internal note on an interaction: never sent to the customer.
type Note struct {
	ID        int64     `json:"id"`
	AuthorID  *int64    `json:"author_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Ref names a catalog entry an interaction uses.
type Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// TagRef is a tag on an interaction.
type TagRef struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Colour string `json:"colour"`
}

const messageSelect = `SELECT id, interaction_id, direction, author_id, body, created_at, delivery FROM messages`

func scanMessage(r rowScanner) (*Message, error) {
	var m Message
	var author sql.NullInt64
	if err := r.Scan(&m.ID, &m.InteractionID, &m.Direction, &author, &m.Body, &m.CreatedAt, &m.Delivery); err != nil {
		return nil, err
	}
	m.AuthorID, m.CreatedAt = ptrID(author), m.CreatedAt.UTC()
	return &m, nil
}

// Messages lists an interaction's messages after the message id after,
// oldest first, at most limit.
func (db *DB) Messages(ctx context.Context, interactionID, after int64, limit int) ([]*Message, error) {
	rows, err := db.query(ctx, messageSelect+` WHERE interaction_id = ? AND id > ? ORDER BY id LIMIT ?`, interactionID, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (tx *Tx) message(ctx context.Context, id int64) (*Message, error) {
	m, err := scanMessage(tx.queryRow(ctx, messageSelect+` WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return m, nil
}

// interactionRouting reads what events about an interaction are addressed
// by: its queue and its owner.
func (tx *Tx) interactionRouting(ctx context.Context, id int64) (status string, queue, owner *int64, err error) {
	var q, o sql.NullInt64
	if err := tx.queryRow(ctx, `SELECT status, queue_id, owner_id FROM interactions WHERE id = ?`, id).Scan(&status, &q, &o); err != nil {
		return "", nil, nil, mapError(err)
	}
	return status, ptrID(q), ptrID(o), nil
}

// refusal explains why an owner-only change matched no row: the
// interaction is closed, someone else owns it, or it is not open yet.
func (tx *Tx) refusal(ctx context.Context, id, agent int64) error {
	status, _, owner, err := tx.interactionRouting(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case status == "closed" || status == "closed_unmanaged":
		return apperr.New(apperr.Conflict, "interaction.closed")
	case owner == nil || *owner != agent:
		return apperr.New(apperr.Forbidden, "interaction.not_owner")
	default:
		return apperr.New(apperr.Conflict, "interaction.not_open")
	}
}

// SendMessage stores an agent's reply on an open interaction he owns,
// moves its last message and marks it read for him. Delivery to the
// customer is the channels' job.
func (db *DB) SendMessage(ctx context.Context, interactionID, agentID int64, body string) (*Message, error) {
	var m *Message
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := updated(tx.exec(ctx, `UPDATE interactions SET last_message_at = ?, last_message_direction = 'out'
			WHERE id = ? AND owner_id = ? AND status = 'open'`, tx.now, interactionID, agentID)); err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return tx.refusal(ctx, interactionID, agentID)
			}
			return err
		}
		var id int64
		if err := tx.queryRow(ctx, `INSERT INTO messages (interaction_id, direction, author_id, body, created_at)
			VALUES (?, 'out', ?, ?, ?) RETURNING id`, interactionID, agentID, body, tx.now).Scan(&id); err != nil {
			return err
		}
		if err := tx.markRead(ctx, interactionID, agentID, id); err != nil {
			return err
		}
		_, queue, _, err := tx.interactionRouting(ctx, interactionID)
		if err != nil {
			return err
		}
		if _, err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.MessageSent, ActorID: actorPtr(agentID),
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "queue_id": queue, "agent_id": agentID, "message_id": id})}); err != nil {
			return err
		}
		m, err = tx.message(ctx, id)
		return err
	})
	return m, err
}

// ReceiveMessage stores a customer's message on a waiting or open
// interaction; the customer writing again clears the sub-status.
func (db *DB) ReceiveMessage(ctx context.Context, interactionID int64, body string, actor int64) (*Message, error) {
	var m *Message
	err := db.InTx(ctx, func(tx *Tx) error {
		id, err := tx.addInbound(ctx, interactionID, body, actor)
		if err != nil {
			return err
		}
		m, err = tx.message(ctx, id)
		return err
	})
	return m, err
}

func (tx *Tx) addInbound(ctx context.Context, interactionID int64, body string, actor int64) (int64, error) {
	if err := updated(tx.exec(ctx, `UPDATE interactions SET last_message_at = ?, last_message_direction = 'in', sub_status_id = NULL
		WHERE id = ? AND status IN ('waiting', 'open')`, tx.now, interactionID)); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			if _, _, _, err := tx.interactionRouting(ctx, interactionID); err != nil {
				return 0, err
			}
			return 0, apperr.New(apperr.Conflict, "interaction.closed")
		}
		return 0, err
	}
	var id int64
	if err := tx.queryRow(ctx, `INSERT INTO messages (interaction_id, direction, body, created_at) VALUES (?, 'in', ?, ?) RETURNING id`,
		interactionID, body, tx.now).Scan(&id); err != nil {
		return 0, err
	}
	_, queue, owner, err := tx.interactionRouting(ctx, interactionID)
	if err != nil {
		return 0, err
	}
	_, err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.MessageReceived, ActorID: actorPtr(actor),
		SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
			"interaction_id": interactionID, "queue_id": queue, "agent_id": owner, "message_id": id})})
	return id, err
}

// markRead moves a principal's read mark forward to message (never back).
func (tx *Tx) markRead(ctx context.Context, interactionID, principal, message int64) error {
	_, err := tx.exec(ctx, `INSERT INTO interaction_reads (interaction_id, principal_id, read_up_to_message_id) VALUES (?, ?, ?)
		ON CONFLICT (interaction_id, principal_id) DO UPDATE SET read_up_to_message_id =
		CASE WHEN excluded.read_up_to_message_id > interaction_reads.read_up_to_message_id
		THEN excluded.read_up_to_message_id ELSE interaction_reads.read_up_to_message_id END`, interactionID, principal, message)
	return err
}

// MarkRead marks an interaction read for a principal up to its last message.
func (db *DB) MarkRead(ctx context.Context, interactionID, principal int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var last sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT max(id) FROM messages WHERE interaction_id = ?`, interactionID).Scan(&last); err != nil {
			return err
		}
		if !last.Valid {
			return nil
		}
		if err := tx.markRead(ctx, interactionID, principal, last.Int64); err != nil {
			return err
		}
		// Only the reader's own screens hear of it (agent_id, no queue).
		_, err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionRead, ActorID: actorPtr(principal),
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "agent_id": principal, "read_up_to_message_id": last.Int64})})
		return err
	})
}

// Unread counts an interaction's messages after a principal's read mark.
func (db *DB) Unread(ctx context.Context, interactionID, principal int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM messages m WHERE m.interaction_id = ? AND m.id > coalesce(
		(SELECT r.read_up_to_message_id FROM interaction_reads r WHERE r.interaction_id = ? AND r.principal_id = ?), 0)`,
		interactionID, interactionID, principal).Scan(&n)
	return n, err
}

// Notes lists an interaction's internal notes, oldest first.
func (db *DB) Notes(ctx context.Context, interactionID int64) ([]*Note, error) {
	rows, err := db.query(ctx, `SELECT id, author_id, body, created_at FROM interaction_notes WHERE interaction_id = ? ORDER BY id`,
		interactionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*Note{}
	for rows.Next() {
		var n Note
		var author sql.NullInt64
		if err := rows.Scan(&n.ID, &author, &n.Body, &n.CreatedAt); err != nil {
			return nil, err
		}
		n.AuthorID, n.CreatedAt = ptrID(author), n.CreatedAt.UTC()
		out = append(out, &n)
	}
	return out, rows.Err()
}

// AddNote stores an internal note; who may write it is the caller's rule.
// Its event reaches the owner, so a supervisor's note shows on his desk.
func (db *DB) AddNote(ctx context.Context, interactionID, author int64, body string) (*Note, error) {
	n := &Note{AuthorID: &author, Body: body}
	err := db.InTx(ctx, func(tx *Tx) error {
		_, queue, owner, err := tx.interactionRouting(ctx, interactionID)
		if err != nil {
			return err
		}
		n.CreatedAt = tx.now
		if err := tx.queryRow(ctx, `INSERT INTO interaction_notes (interaction_id, author_id, body, created_at) VALUES (?, ?, ?, ?)
			RETURNING id`, interactionID, author, body, tx.now).Scan(&n.ID); err != nil {
			return err
		}
		_, err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.NoteAdded, ActorID: actorPtr(author),
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "queue_id": queue, "agent_id": owner, "note_id": n.ID})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// InteractionTags lists an interaction's tags by name.
func (db *DB) InteractionTags(ctx context.Context, interactionID int64) ([]TagRef, error) {
	rows, err := db.query(ctx, `SELECT t.id, t.name, t.colour FROM interaction_tags it JOIN tags t ON t.id = it.tag_id
		WHERE it.interaction_id = ? ORDER BY lower(t.name)`, interactionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TagRef{}
	for rows.Next() {
		var t TagRef
		if err := rows.Scan(&t.ID, &t.Name, &t.Colour); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SetInteractionTags replaces the tags of an interaction its owner holds.
func (db *DB) SetInteractionTags(ctx context.Context, interactionID, agentID int64, tagIDs []int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, queue, owner, err := tx.interactionRouting(ctx, interactionID)
		if err != nil {
			return err
		}
		if owner == nil || *owner != agentID {
			return apperr.New(apperr.Forbidden, "interaction.not_owner")
		}
		if _, err := tx.exec(ctx, `DELETE FROM interaction_tags WHERE interaction_id = ?`, interactionID); err != nil {
			return err
		}
		seen := map[int64]bool{}
		ids := []int64{}
		for _, t := range tagIDs {
			if seen[t] {
				continue
			}
			seen[t] = true
			if err := tx.requireRowField(ctx, "tags", t, "tag_ids"); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO interaction_tags (interaction_id, tag_id) VALUES (?, ?)`, interactionID, t); err != nil {
				return err
			}
			ids = append(ids, t)
		}
		_, err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionTagged, ActorID: actorPtr(agentID),
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "queue_id": queue, "agent_id": agentID, "tag_ids": ids})})
		return err
	})
}

// SetSubStatus sets (or, nil, clears) the sub-status of an open
// interaction its owner holds.
func (db *DB) SetSubStatus(ctx context.Context, interactionID, agentID int64, subStatus *int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if subStatus != nil {
			if err := tx.requireRowField(ctx, "sub_statuses", *subStatus, "sub_status_id"); err != nil {
				return err
			}
		}
		if err := updated(tx.exec(ctx, `UPDATE interactions SET sub_status_id = ? WHERE id = ? AND owner_id = ? AND status = 'open'`,
			nullID(subStatus), interactionID, agentID)); err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return tx.refusal(ctx, interactionID, agentID)
			}
			return err
		}
		_, queue, _, err := tx.interactionRouting(ctx, interactionID)
		if err != nil {
			return err
		}
		_, err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.SubStatusChanged, ActorID: actorPtr(agentID),
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "queue_id": queue, "agent_id": agentID, "sub_status_id": subStatus})})
		return err
	})
}

// Dispose stores an interaction's disposition and closing note; it is
// meant to run in the close's transaction (acd.Engine.CloseWith), so a
// refused close stores nothing.
func Dispose(interactionID, agentID int64, disposition *int64, note string) TxFunc {
	return func(ctx context.Context, tx *Tx) error {
		if err := updated(tx.exec(ctx, `UPDATE interactions SET disposition_id = ?, disposition_note = ? WHERE id = ?`,
			nullID(disposition), note, interactionID)); err != nil {
			return err
		}
		_, queue, _, err := tx.interactionRouting(ctx, interactionID)
		if err != nil {
			return err
		}
		_, err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionDisposed, ActorID: actorPtr(agentID),
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "queue_id": queue, "agent_id": agentID, "disposition_id": disposition})})
		return err
	}
}

// CatalogRef names a sub-status or disposition by id (nil: none).
func (db *DB) CatalogRef(ctx context.Context, table string, id *int64) (*Ref, error) {
	if id == nil {
		return nil, nil
	}
	if table != "sub_statuses" && table != "dispositions" {
		panic("store: CatalogRef of " + table)
	}
	r := Ref{ID: *id}
	if err := db.queryRow(ctx, `SELECT name FROM `+table+` WHERE id = ?`, *id).Scan(&r.Name); err != nil {
		if err == sql.ErrNoRows {
			return nil, nil
		}
		return nil, err
	}
	return &r, nil
}

// MandatoryDisposition reports whether closing an account's interactions
// needs a disposition (false for an account that no longer exists).
func (db *DB) MandatoryDisposition(ctx context.Context, accountID int64) (bool, error) {
	var m bool
	err := db.queryRow(ctx, `SELECT mandatory_disposition FROM accounts WHERE id = ?`, accountID).Scan(&m)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return m, err
}

// AccountQueue returns the queue an account's new interactions enter (nil
// when it has none); an unknown account is an error on account_id.
func (db *DB) AccountQueue(ctx context.Context, accountID int64) (*int64, error) {
	var q sql.NullInt64
	err := db.queryRow(ctx, `SELECT queue_id FROM accounts WHERE id = ?`, accountID).Scan(&q)
	if err == sql.ErrNoRows {
		return nil, apperr.Field("account_id", "id.unknown", accountID)
	}
	if err != nil {
		return nil, err
	}
	return ptrID(q), nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/outbox"
)

// Message is one message of an interaction's conversation: "in" from the
// customer, "out" from an agent (AuthorID). A message may carry one file
// (Attachment; the body is then an optional caption).
type Message struct {
	ID            int64       `json:"id"`
	InteractionID int64       `json:"-"`
	Direction     string      `json:"direction"`
	AuthorID      *int64      `json:"author_id"`
	Body          string      `json:"body"`
	CreatedAt     time.Time   `json:"created_at"`
	Delivery      string      `json:"delivery"`                 // pending (in the outbox), sent, delivered, read, failed (see SetDelivery)
	DeliveryError string      `json:"delivery_error,omitempty"` // the provider's reason when Delivery is failed
	Attachment    *Attachment `json:"attachment"`
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

// messageSelect reads a message; one still waiting in the outbox
// (migration 00014) is "pending" whatever its delivery column says.
const messageSelect = `SELECT m.id, m.interaction_id, m.direction, m.author_id, m.body, m.created_at,
	CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.state IN ('pending', 'sending'))
		THEN 'pending' ELSE m.delivery END, m.delivery_error,
	a.id, a.name, a.content_type, a.size FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id`

func scanMessage(r rowScanner) (*Message, error) {
	var m Message
	var author, fileID, fileSize sql.NullInt64
	var fileName, fileType sql.NullString
	if err := r.Scan(&m.ID, &m.InteractionID, &m.Direction, &author, &m.Body, &m.CreatedAt, &m.Delivery, &m.DeliveryError,
		&fileID, &fileName, &fileType, &fileSize); err != nil {
		return nil, err
	}
	m.AuthorID, m.CreatedAt = ptrID(author), m.CreatedAt.UTC()
	if fileID.Valid {
		m.Attachment = &Attachment{ID: fileID.Int64, Name: fileName.String, ContentType: fileType.String, Size: fileSize.Int64}
	}
	return &m, nil
}

// Messages lists an interaction's messages after the message id after,
// oldest first, at most limit, each with its attachment.
func (db *DB) Messages(ctx context.Context, interactionID, after int64, limit int) ([]*Message, error) {
	rows, err := db.query(ctx, messageSelect+` WHERE m.interaction_id = ? AND m.id > ? ORDER BY m.id LIMIT ?`, interactionID, after, limit)
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
	m, err := scanMessage(tx.queryRow(ctx, messageSelect+` WHERE m.id = ?`, id))
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
	if err := OwnerRefusal(status, owner, agent); err != nil {
		return err
	}
	return apperr.New(apperr.Conflict, "interaction.not_open") // unreachable: the caller's update matched nothing
}

// OwnerRefusal says why an agent may not write to an interaction as its
// owner (nil when he may): it is closed (conflict), someone else owns it
// (forbidden), or it is not open yet (conflict). Handlers use it to refuse
// before reading a large body; the store checks again in its transaction.
func OwnerRefusal(status string, owner *int64, agent int64) error {
	switch {
	case status == "closed" || status == "closed_unmanaged":
		return apperr.New(apperr.Conflict, "interaction.closed")
	case owner == nil || *owner != agent:
		return apperr.New(apperr.Forbidden, "interaction.not_owner")
	case status != "open":
		return apperr.New(apperr.Conflict, "interaction.not_open")
	}
	return nil
}

// SendMessage stores an agent's reply on an open interaction he owns,
// moves its last message and marks it read for him. Delivery to the
// customer is the channels' job.
func (db *DB) SendMessage(ctx context.Context, interactionID, agentID int64, body string) (*Message, error) {
	return db.sendOutbound(ctx, interactionID, agentID, body, nil, nil)
}

// SendAttachment is SendMessage with a file; body is an optional caption.
// The same refusals apply, and a refused send stores no file.
func (db *DB) SendAttachment(ctx context.Context, interactionID, agentID int64, body string, f NewAttachment) (*Message, error) {
	return db.sendOutbound(ctx, interactionID, agentID, body, &f, nil)
}

// SendQueued is SendMessage (with an optional file) for a channel that
// delivers through a provider: the message and its outbox row are stored
// in one transaction, so a stored message is always sent in the end.
func (db *DB) SendQueued(ctx context.Context, interactionID, agentID int64, body string, f *NewAttachment, e outbox.Entry) (*Message, error) {
	return db.sendOutbound(ctx, interactionID, agentID, body, f, &e)
}

func (db *DB) sendOutbound(ctx context.Context, interactionID, agentID int64, body string, f *NewAttachment, queued *outbox.Entry) (*Message, error) {
	if strings.TrimSpace(body) == "" && f == nil {
		return nil, apperr.Field("body", "field.required")
	}
	var m *Message
	err := db.InTx(ctx, func(tx *Tx) (err error) {
		m, err = tx.sendOutbound(ctx, interactionID, agentID, body, f, queued)
		return err
	})
	return m, err
}

// SendQueued is DB.SendQueued in a transaction the caller runs (the first
// message of a conversation an agent starts, stored with it).
func (tx *Tx) SendQueued(ctx context.Context, interactionID, agentID int64, body string, f *NewAttachment, e outbox.Entry) (*Message, error) {
	if strings.TrimSpace(body) == "" && f == nil {
		return nil, apperr.Field("body", "field.required")
	}
	return tx.sendOutbound(ctx, interactionID, agentID, body, f, &e)
}

func (tx *Tx) sendOutbound(ctx context.Context, interactionID, agentID int64, body string, f *NewAttachment, queued *outbox.Entry) (*Message, error) {
	var m *Message
	err := func() error {
		if err := updated(tx.exec(ctx, `UPDATE interactions SET last_message_at = ?, last_message_direction = 'out'
			WHERE id = ? AND owner_id = ? AND status = 'open'`, tx.now, interactionID, agentID)); err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return tx.refusal(ctx, interactionID, agentID)
			}
			return err
		}
		fileID, err := tx.insertAttachment(ctx, interactionID, f)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.queryRow(ctx, `INSERT INTO messages (interaction_id, direction, author_id, body, created_at, attachment_id)
			VALUES (?, 'out', ?, ?, ?, ?) RETURNING id`, interactionID, agentID, body, tx.now, nullID(fileID)).Scan(&id); err != nil {
			return err
		}
		if queued != nil {
			if err := tx.enqueueOutbox(ctx, id, *queued); err != nil {
				return err
			}
		}
		if err := tx.markRead(ctx, interactionID, agentID, id); err != nil {
			return err
		}
		if err := tx.ownerRead(ctx, interactionID, id); err != nil { // he answers what he has read
			return err
		}
		m, err = tx.message(ctx, id)
		if err != nil {
			return err
		}
		_, queue, _, err := tx.interactionRouting(ctx, interactionID)
		if err != nil {
			return err
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.MessageSent, ActorID: actorPtr(agentID),
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "queue_id": queue, "agent_id": agentID, "message_id": id, "message": m})})
		return err
	}()
	return m, err
}

// Inbound is a customer's message as a channel hands it over: text, one
// file, or both.
type Inbound struct {
	InteractionID int64
	Body          string
	// ProviderID is the channel's own id of the message ("" when it has
	// none); a message whose ProviderID is already stored is not stored
	// again, so a provider's or the widget's retry is harmless.
	ProviderID string
	File       *NewAttachment
	Actor      int64 // who hands it over; 0 = the customer himself
}

// errProviderRace says a concurrent transaction stored the same provider
// id first; ReceiveInbound then answers with that message.
var errProviderRace = errors.New("store: provider id stored concurrently")

// ReceiveInbound stores a customer's message (text and/or one file) on a
// waiting or open interaction, in one transaction: the customer writing
// again clears the sub-status and moves the last message. When in.ProviderID
// is already stored it stores nothing and returns the stored message with
// duplicate=true — even if that message belongs to an interaction closed
// since, because the provider is only retrying what was already received.
// A closed interaction is a conflict, an unknown one not_found.
func (db *DB) ReceiveInbound(ctx context.Context, in Inbound) (m *Message, duplicate bool, err error) {
	if strings.TrimSpace(in.Body) == "" && in.File == nil {
		return nil, false, apperr.Field("body", "field.required")
	}
	if m, err := db.messageByProvider(ctx, in.ProviderID); m != nil || err != nil {
		return m, m != nil, err
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		var err error
		m, err = tx.addInbound(ctx, in)
		return err
	})
	if errors.Is(err, errProviderRace) {
		m, err = db.messageByProvider(ctx, in.ProviderID)
		return m, m != nil, err
	}
	return m, false, err
}

// messageByProvider finds the message stored with a provider id (nil when
// none or when id is "").
func (db *DB) messageByProvider(ctx context.Context, providerID string) (*Message, error) {
	if providerID == "" {
		return nil, nil
	}
	m, err := scanMessage(db.queryRow(ctx, messageSelect+` WHERE m.provider_id = ?`, providerID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return m, err
}

// ReceiveMessage stores a customer's text on a waiting or open interaction
// (ReceiveInbound without a provider id or file).
func (db *DB) ReceiveMessage(ctx context.Context, interactionID int64, body string, actor int64) (*Message, error) {
	m, _, err := db.ReceiveInbound(ctx, Inbound{InteractionID: interactionID, Body: body, Actor: actor})
	return m, err
}

func (tx *Tx) addInbound(ctx context.Context, in Inbound) (*Message, error) {
	if err := updated(tx.exec(ctx, `UPDATE interactions SET last_message_at = ?, last_message_direction = 'in', sub_status_id = NULL
		WHERE id = ? AND status IN ('waiting', 'open')`, tx.now, in.InteractionID)); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			if _, _, _, err := tx.interactionRouting(ctx, in.InteractionID); err != nil {
				return nil, err
			}
			return nil, apperr.New(apperr.Conflict, "interaction.closed")
		}
		return nil, err
	}
	fileID, err := tx.insertAttachment(ctx, in.InteractionID, in.File)
	if err != nil {
		return nil, err
	}
	status, queue, owner, err := tx.interactionRouting(ctx, in.InteractionID)
	if err != nil {
		return nil, err
	}
	// A message that reaches a chat an agent owns is on his desk at once.
	delivery := "sent"
	if status == "open" && owner != nil {
		delivery = "delivered"
	}
	var provider any
	if in.ProviderID != "" {
		provider = in.ProviderID
	}
	// ON CONFLICT covers PostgreSQL's concurrent retry (SQLite's writers
	// are serialised): the insert waits for the other transaction and then
	// stores nothing, and the whole transaction is undone.
	var id int64
	err = tx.queryRow(ctx, `INSERT INTO messages (interaction_id, direction, body, created_at, delivery, provider_id, attachment_id)
		VALUES (?, 'in', ?, ?, ?, ?, ?) ON CONFLICT (provider_id) DO NOTHING RETURNING id`,
		in.InteractionID, in.Body, tx.now, delivery, provider, nullID(fileID)).Scan(&id)
	if err == sql.ErrNoRows {
		return nil, errProviderRace
	}
	if err != nil {
		return nil, err
	}
	m, err := tx.message(ctx, id)
	if err != nil {
		return nil, err
	}
	err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.MessageReceived, ActorID: actorPtr(in.Actor),
		SubjectType: "interaction", SubjectID: &in.InteractionID, Data: eventlog.Data(map[string]any{
			"interaction_id": in.InteractionID, "queue_id": queue, "agent_id": owner, "message_id": id, "message": m})})
	return m, err
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
		if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionRead, ActorID: actorPtr(principal),
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "agent_id": principal, "read_up_to_message_id": last.Int64})}); err != nil {
			return err
		}
		_, _, owner, err := tx.interactionRouting(ctx, interactionID)
		if err != nil || owner == nil || *owner != principal {
			return err // a supervisor or queue mate reading does not count for the customer
		}
		return tx.ownerRead(ctx, interactionID, last.Int64)
	})
}

// ownerRead records that the owner's read mark reached upTo: the
// customer's messages up to it become "read" (the widget's double
// coloured checkmark).
func (tx *Tx) ownerRead(ctx context.Context, interactionID, upTo int64) error {
	_, err := tx.markDeliveredUpTo(ctx, interactionID, "in", upTo, "read", deliveryFrom["read"])
	return err
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
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.NoteAdded, ActorID: actorPtr(author),
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
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionTagged, ActorID: actorPtr(agentID),
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
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.SubStatusChanged, ActorID: actorPtr(agentID),
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
		return disposed(ctx, tx, interactionID, agentID, disposition)
	}
}

// DisposeClosed gives a closed interaction that has none its disposition
// (the customer closed it, so its agent disposes of it afterwards): a
// second, concurrent disposal finds it disposed and is refused.
func (db *DB) DisposeClosed(ctx context.Context, interactionID, agentID int64, disposition int64, note string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE interactions SET disposition_id = ?, disposition_note = ?
			WHERE id = ? AND status = 'closed' AND disposition_id IS NULL`, disposition, note, interactionID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "interaction.already_disposed")
		}
		return disposed(ctx, tx, interactionID, agentID, &disposition)
	})
}

// disposed records the disposal's event.
func disposed(ctx context.Context, tx *Tx, interactionID, agentID int64, disposition *int64) error {
	_, queue, _, err := tx.interactionRouting(ctx, interactionID)
	if err != nil {
		return err
	}
	err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionDisposed, ActorID: actorPtr(agentID),
		SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
			"interaction_id": interactionID, "queue_id": queue, "agent_id": agentID, "disposition_id": disposition})})
	return err
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

// Delivery states of a message. They only move forward:
//
//	sent → delivered → read
//	sent, delivered → failed
//
// "read" and "failed" are final. A provider may report "delivered" after
// "read", or "failed" after the customer read a message (reports arrive
// out of order, and a late failure of one retry does not undo a reading):
// such a step back is ignored, never an error, so callers can pass every
// report along as it comes.
var deliveryFrom = map[string][]any{
	"sent":      nil, // where every message starts; never a step forward
	"delivered": {"sent"},
	"read":      {"sent", "delivered"},
	"failed":    {"sent", "delivered"},
}

// deliveryPredecessors returns the states a message may move to state from.
func deliveryPredecessors(state string) ([]any, error) {
	from, ok := deliveryFrom[state]
	if !ok {
		return nil, apperr.Field("delivery", "delivery.invalid")
	}
	return from, nil
}

// SetDelivery moves one message to a delivery state when that is a step
// forward (see deliveryFrom); otherwise it changes nothing and reports
// changed=false. A change writes a message.delivery event (see
// deliveryEvents). An unknown message is not_found, an unknown state
// invalid on "delivery".
func (db *DB) SetDelivery(ctx context.Context, messageID int64, state string) (changed bool, err error) {
	from, err := deliveryPredecessors(state)
	if err != nil {
		return false, err
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		var interactionID int64
		var direction string
		err := tx.queryRow(ctx, `SELECT interaction_id, direction FROM messages WHERE id = ?`, messageID).Scan(&interactionID, &direction)
		if err != nil {
			return mapError(err)
		}
		ids, err := tx.moveDelivery(ctx, `id = ?`, []any{messageID}, state, from)
		if err != nil || len(ids) == 0 {
			return err
		}
		changed = true
		return tx.deliveryEvents(ctx, interactionID, direction, ids, state)
	})
	return changed, err
}

// MarkDeliveredUpTo moves every message of one direction of an interaction,
// up to and including the message id upTo, to a delivery state — those for
// which it is a step forward — and returns their ids, oldest first. This is
// how "the widget has shown/read the agent's messages up to N", "the owner
// has read the customer's messages" and "an agent now owns the chat" are
// recorded. It is one transaction writing one message.delivery event per
// changed message (the same event SetDelivery writes, so listeners handle
// one shape; each message changes at most twice in its life, so this
// stays small).
func (db *DB) MarkDeliveredUpTo(ctx context.Context, interactionID int64, direction string, upTo int64, state string) ([]int64, error) {
	if direction != "in" && direction != "out" {
		return nil, apperr.Field("direction", "direction.invalid")
	}
	from, err := deliveryPredecessors(state)
	if err != nil {
		return nil, err
	}
	var ids []int64
	err = db.InTx(ctx, func(tx *Tx) error {
		var err error
		ids, err = tx.markDeliveredUpTo(ctx, interactionID, direction, upTo, state, from)
		return err
	})
	return ids, err
}

// deliverToNewOwners marks the customer's messages "delivered" on every
// interaction a routing decision gives an owner (an accepted offer, an
// auto-answer, an accepted transfer): the chat is now on an agent's desk.
// SaveRouting runs it after the decision's own events, so a listener
// hears "accepted" before the checkmarks move.
func (tx *Tx) deliverToNewOwners(ctx context.Context, changes []InteractionChange) error {
	for _, c := range changes {
		if c.Owner == nil || *c.Owner == 0 {
			continue
		}
		if _, err := tx.markDeliveredUpTo(ctx, c.ID, "in", 1<<62, "delivered", deliveryFrom["delivered"]); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) markDeliveredUpTo(ctx context.Context, interactionID int64, direction string, upTo int64, state string, from []any) ([]int64, error) {
	ids, err := tx.moveDelivery(ctx, `interaction_id = ? AND direction = ? AND id <= ?`,
		[]any{interactionID, direction, upTo}, state, from)
	if err != nil || len(ids) == 0 {
		return ids, err
	}
	return ids, tx.deliveryEvents(ctx, interactionID, direction, ids, state)
}

// moveDelivery sets state on the messages matching where whose state is
// one of from, and returns their ids in order.
func (tx *Tx) moveDelivery(ctx context.Context, where string, args []any, state string, from []any) ([]int64, error) {
	ids := []int64{}
	if len(from) == 0 {
		return ids, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ")
	all := append(append([]any{state}, args...), from...)
	rows, err := tx.query(ctx, `UPDATE messages SET delivery = ? WHERE `+where+` AND delivery IN (`+ph+`) RETURNING id`, all...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}

// deliveryEvents writes one message.delivery event per message:
// {interaction_id, queue_id, agent_id (the owner), message_id, direction,
// delivery}. The queue and owner address it like the other message events,
// so the desks' checkmarks and the widget follow live.
func (tx *Tx) deliveryEvents(ctx context.Context, interactionID int64, direction string, ids []int64, state string) error {
	_, queue, owner, err := tx.interactionRouting(ctx, interactionID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.MessageDelivery,
			SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
				"interaction_id": interactionID, "queue_id": queue, "agent_id": owner, "message_id": id,
				"direction": direction, "delivery": state})}); err != nil {
			return err
		}
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// InteractionChange is a change routing made to an interaction's row.
type InteractionChange struct {
	ID       int64
	Status   string // "" keeps it
	Owner    *int64 // nil keeps it; pointer to 0 clears it
	QueueID  int64  // 0 keeps it
	Requeued bool   // the enqueue time restarts
}

// RoutingBatch is what one routing decision writes, atomically: its events,
// the interaction rows it changed, and the command it applied.
type RoutingBatch struct {
	Events  []eventlog.Event
	Changes []InteractionChange
	Command *RouterCommand // nil: nothing to log
	With    TxFunc         // optional: more writes of the same decision (a close's disposition)
}

// RouterCommand is one entry of the router's command log: the router
// numbers its commands itself, in the order it applied them.
type RouterCommand struct {
	ID      int64
	Command []byte // JSON, routing.LoggedCommand
}

// RouterLog is what the router rebuilds from: its last snapshot (nil when
// none was written), the id of the last command that snapshot includes,
// and the commands logged after it, in order.
type RouterLog struct {
	Snapshot []byte
	Through  int64
	Commands []RouterCommand
}

// TxFunc writes in a transaction the store runs.
type TxFunc func(ctx context.Context, tx *Tx) error

// Both runs a then b (either may be nil) as one TxFunc.
func Both(a, b TxFunc) TxFunc {
	if a == nil || b == nil {
		if a == nil {
			return b
		}
		return a
	}
	return func(ctx context.Context, tx *Tx) error {
		if err := a(ctx, tx); err != nil {
			return err
		}
		return b(ctx, tx)
	}
}

// SaveRouting writes a routing decision in one transaction.
func (db *DB) SaveRouting(ctx context.Context, b RoutingBatch) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.SaveRouting(ctx, b) })
}

// SaveRouting writes a routing decision in a transaction the caller runs,
// for a decision whose command needs rows written first in the same
// transaction (a started conversation needs its interaction's id).
func (tx *Tx) SaveRouting(ctx context.Context, b RoutingBatch) error {
	if b.With != nil {
		if err := b.With(ctx, tx); err != nil {
			return err
		}
	}
	for _, c := range b.Changes {
		if err := tx.changeInteraction(ctx, c); err != nil {
			return err
		}
	}
	for _, ev := range b.Events {
		if err := tx.appendEvent(ctx, ev); err != nil {
			return err
		}
	}
	if err := tx.deliverToNewOwners(ctx, b.Changes); err != nil {
		return err
	}
	if b.Command == nil {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO router_commands (id, command) VALUES (?, ?)`, b.Command.ID, string(b.Command.Command))
	return err
}

// SaveRouterSnapshot writes the router's snapshot, which includes the
// logged commands up to through, and deletes those commands. A snapshot
// older than the one stored changes nothing, so writes that finish out of
// order never go back in time.
func (db *DB) SaveRouterSnapshot(ctx context.Context, snapshot []byte, through int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO router_state (id, snapshot, last_command_id, updated_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, last_command_id = excluded.last_command_id,
				updated_at = excluded.updated_at
			WHERE router_state.last_command_id <= excluded.last_command_id`, string(snapshot), through, tx.now); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM router_commands WHERE id <= (SELECT last_command_id FROM router_state WHERE id = 1)`)
		return err
	})
}

func (tx *Tx) changeInteraction(ctx context.Context, c InteractionChange) error {
	if c.Status != "" {
		closed := any(nil)
		if c.Status == "closed" || c.Status == "closed_unmanaged" {
			closed = tx.now
		}
		if _, err := tx.exec(ctx, `UPDATE interactions SET status = ?, closed_at = COALESCE(?, closed_at) WHERE id = ?`,
			c.Status, closed, c.ID); err != nil {
			return err
		}
	}
	if c.Owner != nil {
		if *c.Owner == 0 {
			if _, err := tx.exec(ctx, `UPDATE interactions SET owner_id = NULL WHERE id = ?`, c.ID); err != nil {
				return err
			}
		} else if _, err := tx.exec(ctx, `UPDATE interactions SET owner_id = ?, first_agent_id = COALESCE(first_agent_id, ?) WHERE id = ?`,
			*c.Owner, *c.Owner, c.ID); err != nil {
			return err
		} else if err := tx.servedContact(ctx, c.ID, *c.Owner); err != nil { // his My Contacts
			return err
		}
	}
	if c.QueueID != 0 {
		if _, err := tx.exec(ctx, `UPDATE interactions SET queue_id = ? WHERE id = ?`, c.QueueID, c.ID); err != nil {
			return err
		}
	}
	if c.Requeued {
		if _, err := tx.exec(ctx, `UPDATE interactions SET enqueued_at = ? WHERE id = ?`, tx.now, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// RouterLog reads what the router rebuilds from, in one transaction so the
// snapshot and the commands after it agree.
func (db *DB) RouterLog(ctx context.Context) (*RouterLog, error) {
	out := &RouterLog{}
	err := db.InTx(ctx, func(tx *Tx) error {
		out.Snapshot, out.Through, out.Commands = nil, 0, nil
		var snap string
		err := tx.queryRow(ctx, `SELECT snapshot, last_command_id FROM router_state WHERE id = 1`).Scan(&snap, &out.Through)
		switch {
		case err == sql.ErrNoRows:
		case err != nil:
			return err
		default:
			out.Snapshot = []byte(snap)
		}
		rows, err := tx.query(ctx, `SELECT id, command FROM router_commands WHERE id > ? ORDER BY id`, out.Through)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c RouterCommand
			var raw string
			if err := rows.Scan(&c.ID, &raw); err != nil {
				return err
			}
			c.Command = []byte(raw)
			out.Commands = append(out.Commands, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Interaction is an interaction as routing and the API see it.
type Interaction struct {
	ID           int64      `json:"id"`
	Channel      string     `json:"channel"`
	QueueID      *int64     `json:"queue_id"`
	Subject      string     `json:"subject"`
	Status       string     `json:"status"`
	OwnerID      *int64     `json:"owner_id"`
	FirstAgentID *int64     `json:"first_agent_id"`
	Priority     int        `json:"priority"`
	EnqueuedAt   time.Time  `json:"enqueued_at"`
	CreatedAt    time.Time  `json:"created_at"`
	ClosedAt     *time.Time `json:"closed_at"`
	// The conversation (migration 00007).
	AccountID            *int64     `json:"account_id"`
	ContactName          string     `json:"contact_name" mask:"name"` // masked for agents who may not see it (contacts.Masker)
	SubStatusID          *int64     `json:"sub_status_id"`
	DispositionID        *int64     `json:"disposition_id"`
	DispositionNote      string     `json:"disposition_note"`
	LastMessageAt        *time.Time `json:"last_message_at"`
	LastMessageDirection *string    `json:"last_message_direction"` // "in", "out" or null
	// The Contact Manager's contact (migration 00011).
	ContactID *int64 `json:"contact_id"`
}

const interactionSelect = `SELECT id, channel, queue_id, subject, status, owner_id, first_agent_id, priority, enqueued_at,
	created_at, closed_at, account_id, contact_name, sub_status_id, disposition_id, disposition_note, last_message_at,
	last_message_direction, contact_id FROM interactions`

func scanInteraction(r rowScanner) (*Interaction, error) {
	var it Interaction
	var q, owner, first sql.NullInt64
	var account, sub, disp sql.NullInt64
	var closed, lastAt sql.NullTime
	var lastDir sql.NullString
	var contact sql.NullInt64
	if err := r.Scan(&it.ID, &it.Channel, &q, &it.Subject, &it.Status, &owner, &first, &it.Priority, &it.EnqueuedAt,
		&it.CreatedAt, &closed, &account, &it.ContactName, &sub, &disp, &it.DispositionNote, &lastAt, &lastDir, &contact); err != nil {
		return nil, err
	}
	it.ContactID = ptrID(contact)
	it.QueueID, it.OwnerID, it.FirstAgentID, it.ClosedAt = ptrID(q), ptrID(owner), ptrID(first), ptrTime(closed)
	it.AccountID, it.SubStatusID, it.DispositionID, it.LastMessageAt = ptrID(account), ptrID(sub), ptrID(disp), ptrTime(lastAt)
	if lastDir.Valid {
		it.LastMessageDirection = &lastDir.String
	}
	return &it, nil
}

// NewInteraction is what creates an interaction: its queue and subject,
// optionally its account, the customer's name and his first message.
type NewInteraction struct {
	QueueID     int64
	Subject     string
	AccountID   *int64
	ContactName string
	// ContactKey names the customer within the account (a chat visitor's
	// email or session, a phone number): one conversation (migration 00010).
	ContactKey string
	Body       string // "" : no first message
	// With, when set, adds writes to the creation's transaction, given the
	// new interaction's id (a website chat's session, say).
	With func(interactionID int64) TxFunc
}

// CreateInteraction stores a new waiting interaction in a queue, with its
// first inbound message when it has one. The account, when given, must
// exist and serve the queue's channel.
func (db *DB) CreateInteraction(ctx context.Context, channel string, in NewInteraction, priority int, actor int64) (*Interaction, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) (err error) {
		id, err = tx.CreateInteraction(ctx, channel, in, priority, actor)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Interaction(ctx, id)
}

// CreateInteraction is DB.CreateInteraction in a transaction the caller
// runs; it returns the new interaction's id.
func (tx *Tx) CreateInteraction(ctx context.Context, channel string, in NewInteraction, priority int, actor int64) (int64, error) {
	var id int64
	queueID := in.QueueID
	err := func() error {
		if in.AccountID != nil {
			var ch string
			if err := tx.queryRow(ctx, `SELECT channel FROM accounts WHERE id = ?`, *in.AccountID).Scan(&ch); err != nil {
				if apperr.Is(mapError(err), apperr.NotFound) {
					return apperr.Field("account_id", "id.unknown", *in.AccountID)
				}
				return err
			}
			if ch != channel {
				return apperr.Field("queue_id", "queue.channel_mismatch")
			}
		}
		if err := tx.queryRow(ctx, `INSERT INTO interactions (channel, queue_id, subject, status, priority, enqueued_at, created_at,
			account_id, contact_name, contact_key) VALUES (?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?) RETURNING id`,
			channel, queueID, in.Subject, priority, tx.now, tx.now, nullID(in.AccountID), in.ContactName, in.ContactKey).Scan(&id); err != nil {
			return err
		}
		if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionCreated, ActorID: actorPtr(actor),
			SubjectType: "interaction", SubjectID: &id, Data: eventlog.Data(map[string]any{"interaction_id": id,
				"queue_id": queueID, "channel": channel, "subject": in.Subject, "account_id": in.AccountID,
				"contact_name": in.ContactName})}); err != nil {
			return err
		}
		if in.With != nil {
			if err := in.With(id)(ctx, tx); err != nil {
				return err
			}
		}
		if in.Body != "" {
			_, err := tx.addInbound(ctx, Inbound{InteractionID: id, Body: in.Body, Actor: actor})
			return err
		}
		return nil
	}()
	return id, err
}

// Interaction returns one interaction.
func (db *DB) Interaction(ctx context.Context, id int64) (*Interaction, error) {
	it, err := scanInteraction(db.queryRow(ctx, interactionSelect+` WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return it, nil
}

// OpenInteractions lists waiting and open interactions, for rebuilding routing.
func (db *DB) OpenInteractions(ctx context.Context) ([]*Interaction, error) {
	rows, err := db.query(ctx, interactionSelect+` WHERE status IN ('waiting', 'open') ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Interaction
	for rows.Next() {
		it, err := scanInteraction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

package store

import (
	"context"
	"database/sql"
	"time"

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
// the interaction rows it changed, and the router's new snapshot.
type RoutingBatch struct {
	Events   []eventlog.Event
	Changes  []InteractionChange
	Snapshot []byte
}

// SaveRouting writes a routing decision in one transaction.
func (db *DB) SaveRouting(ctx context.Context, b RoutingBatch) error {
	return db.InTx(ctx, func(tx *Tx) error {
		for _, c := range b.Changes {
			if err := tx.changeInteraction(ctx, c); err != nil {
				return err
			}
		}
		for _, ev := range b.Events {
			if _, err := tx.appendEvent(ctx, ev); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `INSERT INTO router_state (id, snapshot, updated_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at`, string(b.Snapshot), tx.now)
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

// RouterSnapshot returns the last saved routing snapshot (nil when none).
func (db *DB) RouterSnapshot(ctx context.Context) ([]byte, error) {
	var s string
	err := db.queryRow(ctx, `SELECT snapshot FROM router_state WHERE id = 1`).Scan(&s)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
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
}

const interactionSelect = `SELECT id, channel, queue_id, subject, status, owner_id, first_agent_id, priority, enqueued_at,
	created_at, closed_at FROM interactions`

func scanInteraction(r rowScanner) (*Interaction, error) {
	var it Interaction
	var q, owner, first sql.NullInt64
	var closed sql.NullTime
	if err := r.Scan(&it.ID, &it.Channel, &q, &it.Subject, &it.Status, &owner, &first, &it.Priority, &it.EnqueuedAt,
		&it.CreatedAt, &closed); err != nil {
		return nil, err
	}
	it.QueueID, it.OwnerID, it.FirstAgentID, it.ClosedAt = ptrID(q), ptrID(owner), ptrID(first), ptrTime(closed)
	return &it, nil
}

// CreateInteraction stores a new waiting interaction in a queue.
func (db *DB) CreateInteraction(ctx context.Context, channel string, queueID int64, subject string, priority int, actor int64) (*Interaction, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `INSERT INTO interactions (channel, queue_id, subject, status, priority, enqueued_at, created_at)
			VALUES (?, ?, ?, 'waiting', ?, ?, ?) RETURNING id`, channel, queueID, subject, priority, tx.now, tx.now).Scan(&id); err != nil {
			return err
		}
		_, err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionCreated, ActorID: actorPtr(actor),
			SubjectType: "interaction", SubjectID: &id, Data: eventlog.Data(map[string]any{"interaction_id": id,
				"queue_id": queueID, "channel": channel, "subject": subject})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Interaction(ctx, id)
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

// OwnedInteractions lists an agent's open interactions, newest first.
func (db *DB) OwnedInteractions(ctx context.Context, agentID int64) ([]*Interaction, error) {
	rows, err := db.query(ctx, interactionSelect+` WHERE owner_id = ? AND status = 'open' ORDER BY id DESC`, agentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*Interaction{}
	for rows.Next() {
		it, err := scanInteraction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

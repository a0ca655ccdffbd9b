package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// appendEvent records one event in tx, the transaction of the change it
// records, so the log and the state can never disagree. Its row is written
// when the transaction commits (writeEvents), not now: event ids must follow
// commit order. Taken here, an id on PostgreSQL could commit after a larger
// one, and a desktop that has seen the larger id skips the smaller one as
// already seen (and resumes "after" it on reconnection).
func (tx *Tx) appendEvent(_ context.Context, ev eventlog.Event) error {
	if ev.Data == nil {
		ev.Data = json.RawMessage(`{}`)
	}
	ev.At = tx.now
	tx.events = append(tx.events, ev)
	return nil
}

// eventOrderLock is the PostgreSQL advisory lock that orders the writing of
// events with the commit across the nodes of a site; within one process,
// DB.commitMu does.
const eventOrderLock = 0x5eed_e7e7

// writeEvents writes the transaction's events, giving them their ids, just
// before it commits, with the commit lock held: ids are handed out in the
// order the transactions commit. The events table has no foreign keys, so
// nothing here waits on another transaction's rows while holding the lock.
func (tx *Tx) writeEvents(ctx context.Context) error {
	if tx.db.dialect == Postgres {
		if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, eventOrderLock); err != nil {
			return fmt.Errorf("store: order events: %w", err)
		}
	}
	for i := range tx.events {
		ev := &tx.events[i]
		err := tx.queryRow(ctx, `
			INSERT INTO events (at, type, actor_id, subject_type, subject_id, data)
			VALUES (?, ?, ?, ?, ?, ?)
			RETURNING id`,
			ev.At, string(ev.Type), nullID(ev.ActorID), ev.SubjectType, nullID(ev.SubjectID), string(ev.Data),
		).Scan(&ev.ID)
		if err != nil {
			return fmt.Errorf("store: append event %s: %w", ev.Type, err)
		}
	}
	return nil
}

// AppendEvent records an event that has no state change of its own
// (a failed sign-in, say), in a transaction of its own.
func (db *DB) AppendEvent(ctx context.Context, ev eventlog.Event) (int64, error) {
	var tx *Tx
	err := db.InTx(ctx, func(t *Tx) error {
		tx = t
		return t.appendEvent(ctx, ev)
	})
	if err != nil {
		return 0, err
	}
	return tx.events[0].ID, nil
}

// Events reads events oldest first.
func (db *DB) Events(ctx context.Context, f eventlog.Filter) ([]eventlog.Event, error) {
	var where []string
	var args []any
	if f.SubjectType != "" {
		where = append(where, "subject_type = ?")
		args = append(args, f.SubjectType)
	}
	if f.SubjectID != 0 {
		where = append(where, "subject_id = ?")
		args = append(args, f.SubjectID)
	}
	if f.AfterID != 0 {
		where = append(where, "id > ?")
		args = append(args, f.AfterID)
	}
	if len(f.Types) > 0 {
		ph := make([]string, len(f.Types))
		for i, t := range f.Types {
			ph[i] = "?"
			args = append(args, string(t))
		}
		where = append(where, "type IN ("+strings.Join(ph, ", ")+")")
	}
	q := `SELECT id, at, type, actor_id, subject_type, subject_id, data FROM events`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	q += fmt.Sprintf(" ORDER BY id LIMIT %d", limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	defer rows.Close()
	var out []eventlog.Event
	for rows.Next() {
		var ev eventlog.Event
		var actor, subject sql.NullInt64
		var typ, data string
		if err := rows.Scan(&ev.ID, &ev.At, &typ, &actor, &ev.SubjectType, &subject, &data); err != nil {
			return nil, fmt.Errorf("store: events: %w", err)
		}
		ev.Type = eventlog.Type(typ)
		ev.ActorID = ptrID(actor)
		ev.SubjectID = ptrID(subject)
		ev.Data = json.RawMessage(data)
		out = append(out, ev)
	}
	return out, rows.Err()
}

func nullID(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func ptrID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// actorPtr turns the "0 means the system" convention into a nullable id.
func actorPtr(actor int64) *int64 {
	if actor == 0 {
		return nil
	}
	return &actor
}

// LastEventID is the id of the newest event (0 when there is none).
func (db *DB) LastEventID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.queryRow(ctx, `SELECT max(id) FROM events`).Scan(&id)
	return id.Int64, err
}

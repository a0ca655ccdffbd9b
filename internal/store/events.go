package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// appendEvent writes one event inside tx, the transaction of the change it
// records, so the log and the state can never disagree.
func (tx *Tx) appendEvent(ctx context.Context, ev eventlog.Event) (int64, error) {
	if ev.Data == nil {
		ev.Data = json.RawMessage(`{}`)
	}
	var id int64
	err := tx.queryRow(ctx, `
		INSERT INTO events (at, type, actor_id, subject_type, subject_id, data)
		VALUES (?, ?, ?, ?, ?, ?)
		RETURNING id`,
		tx.now, string(ev.Type), nullID(ev.ActorID), ev.SubjectType, nullID(ev.SubjectID), string(ev.Data),
	).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: append event %s: %w", ev.Type, err)
	}
	ev.ID, ev.At = id, tx.now
	tx.events = append(tx.events, ev)
	return id, nil
}

// AppendEvent records an event that has no state change of its own
// (a failed sign-in, say), in a transaction of its own.
func (db *DB) AppendEvent(ctx context.Context, ev eventlog.Event) (int64, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.appendEvent(ctx, ev)
		return err
	})
	return id, err
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

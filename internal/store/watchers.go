package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Who is watching an interaction now: each screen that has it open renews
// a watch that lapses unless renewed. Rows live in the database so every
// node shows the same watchers; an expired row counts for nothing even
// before it is swept.

// Watch records that a principal has an interaction on screen for ttl more.
// It reports whether he just started watching (he was not already), in
// which case the interaction's watchers_changed event is written.
func (db *DB) Watch(ctx context.Context, interactionID, principal int64, ttl time.Duration) (started bool, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		var watching int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM interaction_watchers WHERE interaction_id = ? AND principal_id = ? AND until > ?`,
			interactionID, principal, tx.now).Scan(&watching); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO interaction_watchers (interaction_id, principal_id, until) VALUES (?, ?, ?)
			ON CONFLICT (interaction_id, principal_id) DO UPDATE SET until = excluded.until`,
			interactionID, principal, tx.now.Add(ttl)); err != nil {
			return mapError(err)
		}
		if started = watching == 0; started {
			return tx.watchersChanged(ctx, interactionID, principal)
		}
		return nil
	})
	return started, err
}

// Unwatch ends a principal's watch; it reports whether he was watching, in
// which case the watchers_changed event is written.
func (db *DB) Unwatch(ctx context.Context, interactionID, principal int64) (stopped bool, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM interaction_watchers WHERE interaction_id = ? AND principal_id = ? AND until > ?`,
			interactionID, principal, tx.now).Scan(&n); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM interaction_watchers WHERE interaction_id = ? AND principal_id = ?`,
			interactionID, principal); err != nil {
			return err
		}
		if stopped = n > 0; stopped {
			return tx.watchersChanged(ctx, interactionID, principal)
		}
		return nil
	})
	return stopped, err
}

// ExpireWatches deletes the watches that lapsed and writes one
// watchers_changed event per interaction that lost a watcher. On several
// nodes only the one whose DELETE takes a row reports it.
func (db *DB) ExpireWatches(ctx context.Context) (int, error) {
	var n int
	err := db.InTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `DELETE FROM interaction_watchers WHERE until <= ? RETURNING interaction_id`, tx.now)
		if err != nil {
			return err
		}
		var changed []int64
		seen := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			n++
			if !seen[id] {
				seen[id] = true
				changed = append(changed, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range changed {
			if err := tx.watchersChanged(ctx, id, 0); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// Watchers names who is watching an interaction now.
func (db *DB) Watchers(ctx context.Context, interactionID int64) ([]Ref, error) {
	w, err := db.watchersOf(ctx, []any{interactionID})
	if err != nil {
		return nil, err
	}
	if w[interactionID] == nil {
		return []Ref{}, nil
	}
	return w[interactionID], nil
}

// watchersQuery names the current watchers (until > ?) of the
// interactions in a list that follows it.
const watchersQuery = `SELECT w.interaction_id, p.id, p.full_name, p.username FROM interaction_watchers w
	JOIN principals p ON p.id = w.principal_id WHERE w.until > ? AND w.interaction_id IN `

// watchersOf names the current watchers of some interactions.
func (db *DB) watchersOf(ctx context.Context, ids []any) (map[int64][]Ref, error) {
	rows, err := db.query(ctx, watchersQuery+"("+placeholders(len(ids))+") ORDER BY lower(p.username), p.id",
		append([]any{db.clock.Now().UTC()}, ids...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanWatchers(rows)
}

func scanWatchers(rows *sql.Rows) (map[int64][]Ref, error) {
	out := map[int64][]Ref{}
	for rows.Next() {
		var id int64
		var r Ref
		var full, user string
		if err := rows.Scan(&id, &r.ID, &full, &user); err != nil {
			return nil, err
		}
		r.Name = displayName(full, user)
		out[id] = append(out[id], r)
	}
	return out, rows.Err()
}

// watchersChanged writes the event that tells lists and tabs who watches
// an interaction now; its queue and owner address it like the
// interaction's other events.
func (tx *Tx) watchersChanged(ctx context.Context, interactionID, actor int64) error {
	_, queue, owner, err := tx.interactionRouting(ctx, interactionID)
	if err != nil {
		return err
	}
	rows, err := tx.query(ctx, watchersQuery+"(?) ORDER BY lower(p.username), p.id", tx.now, interactionID)
	if err != nil {
		return err
	}
	w, err := scanWatchers(rows)
	rows.Close()
	if err != nil {
		return err
	}
	watching := w[interactionID]
	if watching == nil {
		watching = []Ref{}
	}
	err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.InteractionWatchersChanged, ActorID: actorPtr(actor),
		SubjectType: "interaction", SubjectID: &interactionID, Data: eventlog.Data(map[string]any{
			"interaction_id": interactionID, "queue_id": queue, "agent_id": owner, "watching": watching})})
	return err
}

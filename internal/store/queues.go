package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

const queueSelect = `SELECT id, name, channel, description, strategy, agent_timeout_seconds, max_wait_seconds,
	max_wait_action, max_wait_queue_id, priority, created_at, updated_at FROM queues`

func scanQueue(r rowScanner) (*staff.Queue, error) {
	var q staff.Queue
	var ch, strategy, action string
	var moveTo sql.NullInt64
	if err := r.Scan(&q.ID, &q.Name, &ch, &q.Description, &strategy, &q.AgentTimeout, &q.MaxWait, &action, &moveTo,
		&q.Priority, &q.CreatedAt, &q.UpdatedAt); err != nil {
		return nil, err
	}
	q.Channel, q.Strategy, q.MaxWaitAction, q.MaxWaitQueueID = staff.Channel(ch), staff.Strategy(strategy),
		staff.MaxWaitAction(action), ptrID(moveTo)
	return &q, nil
}

// CreateQueue stores a queue; its name is unique ignoring case.
func (db *DB) CreateQueue(ctx context.Context, q *staff.Queue, actor int64) (*staff.Queue, error) {
	staff.DefaultQueue(q)
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkQueue(ctx, q, 0); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `INSERT INTO queues (name, channel, description, strategy, agent_timeout_seconds,
			max_wait_seconds, max_wait_action, max_wait_queue_id, priority, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, q.Name, string(q.Channel), q.Description,
			string(q.Strategy), q.AgentTimeout, q.MaxWait, string(q.MaxWaitAction), nullID(q.MaxWaitQueueID), q.Priority,
			tx.now, tx.now).Scan(&id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.QueueCreated, ActorID: actorPtr(actor),
			SubjectType: "queue", SubjectID: &id, Data: eventlog.Data(q)})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Queue(ctx, id)
}

// checkQueue enforces what the schema cannot say nicely: a free name and a
// move-to queue that exists.
func (tx *Tx) checkQueue(ctx context.Context, q *staff.Queue, id int64) error {
	if err := tx.checkNameFree(ctx, "queues", q.Name, id); err != nil {
		return err
	}
	if q.MaxWaitQueueID != nil {
		return tx.requireRowField(ctx, "queues", *q.MaxWaitQueueID, "max_wait_queue_id")
	}
	return nil
}

// UpdateQueue replaces a queue's settings; its channel cannot change.
func (db *DB) UpdateQueue(ctx context.Context, q *staff.Queue, actor int64) (*staff.Queue, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkQueue(ctx, q, q.ID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE queues SET name = ?, description = ?, strategy = ?, agent_timeout_seconds = ?,
			max_wait_seconds = ?, max_wait_action = ?, max_wait_queue_id = ?, priority = ?, updated_at = ? WHERE id = ?`,
			q.Name, q.Description, string(q.Strategy), q.AgentTimeout, q.MaxWait, string(q.MaxWaitAction),
			nullID(q.MaxWaitQueueID), q.Priority, tx.now, q.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.QueueUpdated, ActorID: actorPtr(actor),
			SubjectType: "queue", SubjectID: &q.ID, Data: eventlog.Data(q)})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Queue(ctx, q.ID)
}

// DeleteQueue deletes a queue that no open interaction is in.
func (db *DB) DeleteQueue(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var open int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM interactions WHERE queue_id = ? AND status IN ('waiting', 'open')`, id).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return apperr.New(apperr.Conflict, "queue.in_use", open)
		}
		// Queues that moved overdue interactions here go back to keeping them.
		if _, err := tx.exec(ctx, `UPDATE queues SET max_wait_action = 'keep', max_wait_queue_id = NULL, updated_at = ?
			WHERE max_wait_queue_id = ?`, tx.now, id); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM queues WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.QueueDeleted, ActorID: actorPtr(actor),
			SubjectType: "queue", SubjectID: &id})
		return err
	})
}

// Queue returns a queue with its members (direct, through teams and through
// agent profiles).
func (db *DB) Queue(ctx context.Context, id int64) (*staff.Queue, error) {
	q, err := scanQueue(db.queryRow(ctx, queueSelect+` WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	rows, err := db.query(ctx, `
		SELECT p.id, p.username, p.full_name, 'direct', m.penalty FROM queue_members m JOIN principals p ON p.id = m.principal_id
			WHERE m.queue_id = ? AND p.deleted_at IS NULL
		UNION
		SELECT p.id, p.username, p.full_name, 'team', 0 FROM team_queues tq JOIN team_members tm ON tm.team_id = tq.team_id
			JOIN principals p ON p.id = tm.principal_id WHERE tq.queue_id = ? AND p.deleted_at IS NULL
		UNION
		SELECT p.id, p.username, p.full_name, 'profile', apq.penalty FROM agent_profile_queues apq
			JOIN agent_profile_agents apa ON apa.profile_id = apq.profile_id
			JOIN agent_profiles ap ON ap.id = apq.profile_id
			JOIN principals p ON p.id = apa.principal_id WHERE apq.queue_id = ? AND p.deleted_at IS NULL AND ap.enabled
		ORDER BY 2, 4`, id, id, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	q.Members = []staff.QueueMember{}
	for rows.Next() {
		var m staff.QueueMember
		if err := rows.Scan(&m.ID, &m.Username, &m.FullName, &m.Via, &m.Penalty); err != nil {
			return nil, err
		}
		q.Members = append(q.Members, m)
	}
	return q, rows.Err()
}

// Queues lists queues, optionally of one channel.
func (db *DB) Queues(ctx context.Context, ch staff.Channel) ([]*staff.Queue, error) {
	q, args := queueSelect, []any{}
	if ch != "" {
		q += ` WHERE channel = ?`
		args = append(args, string(ch))
	}
	rows, err := db.query(ctx, q+` ORDER BY lower(name)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*staff.Queue{}
	for rows.Next() {
		x, err := scanQueue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// SetQueueMember adds (with a penalty) or removes an agent's direct
// membership of a queue; a supervisor does this at run time.
func (db *DB) SetQueueMember(ctx context.Context, queueID, agentID int64, member bool, penalty int, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.requireRow(ctx, "queues", queueID); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM principals WHERE id = ? AND kind = 'agent' AND deleted_at IS NULL`, agentID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		typ := eventlog.QueueMemberAdded
		if member {
			if _, err := tx.exec(ctx, `INSERT INTO queue_members (queue_id, principal_id, penalty) VALUES (?, ?, ?)
				ON CONFLICT (queue_id, principal_id) DO UPDATE SET penalty = excluded.penalty`, queueID, agentID, penalty); err != nil {
				return err
			}
		} else {
			typ = eventlog.QueueMemberRemoved
			if _, err := tx.exec(ctx, `DELETE FROM queue_members WHERE queue_id = ? AND principal_id = ?`, queueID, agentID); err != nil {
				return err
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "principal",
			SubjectID: &agentID, Data: eventlog.Data(map[string]any{"queue_id": queueID, "penalty": penalty})})
		return err
	})
}

// ActiveQueues returns the queues an agent works when logged in with a
// profile (nil: Personal only): his Personal queues (direct and through
// teams) with the queues of the profile, each with the lowest penalty found.
func (db *DB) ActiveQueues(ctx context.Context, agentID int64, profileID *int64) (map[int64]int, error) {
	q := `SELECT queue_id, penalty FROM queue_members WHERE principal_id = ?
		UNION ALL
		SELECT tq.queue_id, 0 FROM team_queues tq JOIN team_members tm ON tm.team_id = tq.team_id WHERE tm.principal_id = ?`
	args := []any{agentID, agentID}
	if profileID != nil {
		q += ` UNION ALL SELECT queue_id, penalty FROM agent_profile_queues WHERE profile_id = ?`
		args = append(args, *profileID)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: active queues: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var pen int
		if err := rows.Scan(&id, &pen); err != nil {
			return nil, err
		}
		if cur, ok := out[id]; !ok || pen < cur {
			out[id] = pen
		}
	}
	return out, rows.Err()
}

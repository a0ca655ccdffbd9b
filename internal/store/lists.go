package store

import (
	"context"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// Lists returns the contact lists; with scope set, only those that user
// profile may see.
func (db *DB) Lists(ctx context.Context, scope *int64) ([]*staff.List, error) {
	q, args := `SELECT id, name, description, created_at, updated_at FROM lists`, []any{}
	if scope != nil {
		q += ` WHERE id IN (SELECT list_id FROM user_profile_lists WHERE profile_id = ?)`
		args = append(args, *scope)
	}
	rows, err := db.query(ctx, q+` ORDER BY lower(name)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*staff.List{}
	for rows.Next() {
		var l staff.List
		if err := rows.Scan(&l.ID, &l.Name, &l.Description, &l.CreatedAt, &l.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, &l)
	}
	return out, rows.Err()
}

// List returns one contact list.
func (db *DB) List(ctx context.Context, id int64) (*staff.List, error) {
	var l staff.List
	err := db.queryRow(ctx, `SELECT id, name, description, created_at, updated_at FROM lists WHERE id = ?`, id).
		Scan(&l.ID, &l.Name, &l.Description, &l.CreatedAt, &l.UpdatedAt)
	if err != nil {
		return nil, mapError(err)
	}
	return &l, nil
}

// SaveList creates (ID 0) or renames a contact list.
func (db *DB) SaveList(ctx context.Context, l *staff.List, actor int64) (*staff.List, error) {
	id := l.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkNameFree(ctx, "lists", l.Name, id); err != nil {
			return err
		}
		typ := eventlog.ListUpdated
		if id == 0 {
			typ = eventlog.ListCreated
			if err := tx.queryRow(ctx, `INSERT INTO lists (name, description, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
				l.Name, l.Description, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
		} else {
			res, err := tx.exec(ctx, `UPDATE lists SET name = ?, description = ?, updated_at = ? WHERE id = ?`, l.Name, l.Description, tx.now, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.New(apperr.NotFound, "error.not_found")
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "list", SubjectID: &id,
			Data: eventlog.Data(map[string]any{"name": l.Name})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.List(ctx, id)
}

// DeleteList deletes a contact list.
func (db *DB) DeleteList(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM lists WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ListDeleted, ActorID: actorPtr(actor), SubjectType: "list", SubjectID: &id})
		return err
	})
}

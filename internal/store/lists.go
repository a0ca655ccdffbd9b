package store

import (
	"context"
	"strings"

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

// DeleteList deletes a contact list with its custom fields. A list still
// holding contacts is refused (apperr.ListNotEmpty, with their number)
// unless deleteContacts says they go with it: an admin must never lose
// contacts by a click meant for an empty list. A list some account files
// its new contacts into (its default list) is refused (apperr.ListInUse,
// naming the accounts), as is one a CSV import is filling: either would
// leave the account or the import writing into a list that is gone. All
// is checked and deleted in one transaction, so nothing is half-deleted.
func (db *DB) DeleteList(ctx context.Context, id int64, deleteContacts bool, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockList(ctx, id); err != nil {
			return err
		}
		if err := tx.checkListUnused(ctx, id); err != nil {
			return err
		}
		var contactCount int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM contacts WHERE list_id = ?`, id).Scan(&contactCount); err != nil {
			return err
		}
		if contactCount > 0 && !deleteContacts {
			return apperr.New(apperr.ListNotEmpty, "list.not_empty", contactCount)
		}
		if _, err := tx.exec(ctx, `DELETE FROM lists WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ListDeleted, ActorID: actorPtr(actor), SubjectType: "list",
			SubjectID: &id, Data: eventlog.Data(map[string]any{"contacts_deleted": contactCount})})
	})
}

// lockList makes sure the list exists and, on PostgreSQL, holds it until
// the transaction ends: a contact written into it meanwhile waits (its
// foreign key shares the row's lock), so the contacts counted are the
// contacts deleted. SQLite's single writer serialises this already.
func (tx *Tx) lockList(ctx context.Context, id int64) error {
	lock := ""
	if tx.db.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var found int64
	if err := tx.queryRow(ctx, `SELECT id FROM lists WHERE id = ?`+lock, id).Scan(&found); err != nil {
		return mapError(err)
	}
	return nil
}

// checkListUnused refuses to delete a list an account files new contacts
// into, or one a running CSV import is filling.
func (tx *Tx) checkListUnused(ctx context.Context, id int64) error {
	rows, err := tx.query(ctx, `SELECT name FROM accounts WHERE default_list_id = ? ORDER BY lower(name)`, id)
	if err != nil {
		return err
	}
	var accounts []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		accounts = append(accounts, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(accounts) > 0 {
		return apperr.New(apperr.ListInUse, "list.default_of", strings.Join(accounts, ", "))
	}
	// An import that has not moved for StaleImport was interrupted and
	// will write no more.
	var importing int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM contact_imports WHERE list_id = ? AND status = 'running' AND updated_at > ?`,
		id, tx.now.Add(-StaleImport)).Scan(&importing); err != nil {
		return err
	}
	if importing > 0 {
		return apperr.New(apperr.ListInUse, "list.importing")
	}
	return nil
}

// ListContactCount is how many contacts a list holds.
func (db *DB) ListContactCount(ctx context.Context, id int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM contacts WHERE list_id = ?`, id).Scan(&n)
	return n, err
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// The Contact Manager's lists: their custom fields and the agents who may
// use them.

const fieldSelect = `SELECT id, list_id, key, label, type, required, options, position, created_at, updated_at FROM list_fields`

func scanField(r rowScanner) (*contacts.Field, error) {
	var f contacts.Field
	var opts string
	if err := r.Scan(&f.ID, &f.ListID, &f.Key, &f.Label, &f.Type, &f.Required, &opts, &f.Position, &f.CreatedAt, &f.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(opts), &f.Options); err != nil {
		return nil, fmt.Errorf("store: list field %d options: %w", f.ID, err)
	}
	if f.Options == nil {
		f.Options = []string{}
	}
	return &f, nil
}

// ListFields returns the custom fields of lists, in each list's order.
func (db *DB) ListFields(ctx context.Context, listIDs ...int64) ([]contacts.Field, error) {
	return listFields(ctx, db, listIDs...)
}

// AllListFields returns the custom fields of every list.
func (db *DB) AllListFields(ctx context.Context) ([]contacts.Field, error) {
	return scanFields(db.query(ctx, fieldSelect+` ORDER BY list_id, position, id`))
}

func listFields(ctx context.Context, q querier, listIDs ...int64) ([]contacts.Field, error) {
	if len(listIDs) == 0 {
		return []contacts.Field{}, nil
	}
	return scanFields(q.query(ctx, fieldSelect+` WHERE list_id IN (`+placeholders(len(listIDs))+`) ORDER BY list_id, position, id`,
		int64Args(listIDs)...))
}

func scanFields(rows *sql.Rows, err error) ([]contacts.Field, error) {
	if err != nil {
		return nil, err
	}
	out := []contacts.Field{}
	defer rows.Close()
	for rows.Next() {
		f, err := scanField(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *f)
	}
	return out, rows.Err()
}

// ListField returns one custom field of a list.
func (db *DB) ListField(ctx context.Context, listID, id int64) (*contacts.Field, error) {
	f, err := scanField(db.queryRow(ctx, fieldSelect+` WHERE id = ? AND list_id = ?`, id, listID))
	if err != nil {
		return nil, mapError(err)
	}
	return f, nil
}

// SaveListField creates (ID 0) or changes a custom field; its key is
// unique in its list. Changing a field's type drops the values that no
// longer fit it.
func (db *DB) SaveListField(ctx context.Context, f *contacts.Field, actor int64) (*contacts.Field, error) {
	opts, err := json.Marshal(f.Options)
	if err != nil {
		return nil, err
	}
	id := f.ID
	err = db.InTx(ctx, func(tx *Tx) error {
		if err := tx.requireRow(ctx, "lists", f.ListID); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM list_fields WHERE list_id = ? AND key = ? AND id <> ?`,
			f.ListID, f.Key, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &apperr.Error{Code: apperr.Conflict, Message: apperr.Message{Key: "error.conflict"},
				Fields: map[string]apperr.Message{"key": {Key: "field_key.taken"}}}
		}
		typ := eventlog.ListFieldUpdated
		if id == 0 {
			typ = eventlog.ListFieldCreated
			if err := tx.queryRow(ctx, `SELECT count(*) FROM list_fields WHERE list_id = ?`, f.ListID).Scan(&n); err != nil {
				return err
			}
			if n >= contacts.MaxFields {
				return apperr.New(apperr.Conflict, "list.too_many_fields", contacts.MaxFields)
			}
			if err := tx.queryRow(ctx, `INSERT INTO list_fields (list_id, key, label, type, required, options, position,
				created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.ListID, f.Key, f.Label, f.Type,
				f.Required, string(opts), f.Position, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
		} else {
			old, err := scanField(tx.queryRow(ctx, fieldSelect+` WHERE id = ? AND list_id = ?`, id, f.ListID))
			if err != nil {
				return mapError(err)
			}
			if err := updated(tx.exec(ctx, `UPDATE list_fields SET key = ?, label = ?, type = ?, required = ?, options = ?,
				position = ?, updated_at = ? WHERE id = ?`, f.Key, f.Label, f.Type, f.Required, string(opts), f.Position,
				tx.now, id)); err != nil {
				return err
			}
			if err := tx.dropUnfitValues(ctx, old, f); err != nil {
				return err
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "list",
			SubjectID: &f.ListID, Data: eventlog.Data(map[string]any{"field_id": id, "key": f.Key, "type": f.Type})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.ListField(ctx, f.ListID, id)
}

// dropUnfitValues deletes the values a changed field can no longer hold
// (another type, an option gone).
func (tx *Tx) dropUnfitValues(ctx context.Context, old, now *contacts.Field) error {
	if old.Type != now.Type {
		_, err := tx.exec(ctx, `DELETE FROM contact_values WHERE field_id = ?`, old.ID)
		return err
	}
	if now.Type != contacts.TypeSelect {
		return nil
	}
	args := []any{old.ID}
	for _, o := range now.Options {
		args = append(args, o)
	}
	_, err := tx.exec(ctx, `DELETE FROM contact_values WHERE field_id = ? AND value NOT IN (`+placeholders(len(now.Options))+`)`, args...)
	return err
}

// DeleteListField deletes a custom field with its values.
func (db *DB) DeleteListField(ctx context.Context, listID, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := updated(tx.exec(ctx, `DELETE FROM list_fields WHERE id = ? AND list_id = ?`, id, listID)); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ListFieldDeleted, ActorID: actorPtr(actor), SubjectType: "list",
			SubjectID: &listID, Data: eventlog.Data(map[string]any{"field_id": id})})
		return err
	})
}

// ListAgent is an agent allowed to use a list, and how.
type ListAgent struct {
	ID       int64           `json:"id"`
	Username string          `json:"username"`
	FullName string          `json:"full_name"`
	Access   contacts.Access `json:"access"`
}

// ListAgents returns the agents allowed to use a list.
func (db *DB) ListAgents(ctx context.Context, listID int64) ([]ListAgent, error) {
	rows, err := db.query(ctx, `SELECT p.id, p.username, p.full_name, la.access FROM list_agents la
		JOIN principals p ON p.id = la.principal_id WHERE la.list_id = ? AND p.deleted_at IS NULL
		ORDER BY lower(p.username)`, listID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ListAgent{}
	for rows.Next() {
		var a ListAgent
		if err := rows.Scan(&a.ID, &a.Username, &a.FullName, &a.Access); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetListAgent lets an agent use a list (read or edit).
func (db *DB) SetListAgent(ctx context.Context, listID, agentID int64, access contacts.Access, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.requireRow(ctx, "lists", listID); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM principals WHERE id = ? AND kind = 'agent' AND deleted_at IS NULL`,
			agentID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if _, err := tx.exec(ctx, `INSERT INTO list_agents (list_id, principal_id, access) VALUES (?, ?, ?)
			ON CONFLICT (list_id, principal_id) DO UPDATE SET access = excluded.access`, listID, agentID, string(access)); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ListAgentSet, ActorID: actorPtr(actor), SubjectType: "list",
			SubjectID: &listID, Data: eventlog.Data(map[string]any{"agent_id": agentID, "access": access})})
		return err
	})
}

// RemoveListAgent takes a list away from an agent.
func (db *DB) RemoveListAgent(ctx context.Context, listID, agentID, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := updated(tx.exec(ctx, `DELETE FROM list_agents WHERE list_id = ? AND principal_id = ?`, listID, agentID)); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ListAgentRemoved, ActorID: actorPtr(actor), SubjectType: "list",
			SubjectID: &listID, Data: eventlog.Data(map[string]any{"agent_id": agentID})})
		return err
	})
}

// AgentLists returns the lists an agent may use, with how.
func (db *DB) AgentLists(ctx context.Context, agentID int64) (map[int64]contacts.Access, error) {
	rows, err := db.query(ctx, `SELECT list_id, access FROM list_agents WHERE principal_id = ?`, agentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]contacts.Access{}
	for rows.Next() {
		var id int64
		var a contacts.Access
		if err := rows.Scan(&id, &a); err != nil {
			return nil, err
		}
		out[id] = a
	}
	return out, rows.Err()
}

// querier is what reads need of a DB or a Tx, so one read serves both.
type querier interface {
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
	oneOf(col string, values any) (string, any)
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

package store

import (
	"context"
	"database/sql"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// checkFree reports a conflict on field when another row of table in the
// same account scope (account nil: the global entries) already has value in
// column, ignoring case. Tables without account_id pass scoped false.
func (tx *Tx) checkFree(ctx context.Context, table, column, value string, scoped bool, account *int64, except int64) error {
	q, args := `SELECT count(*) FROM `+table+` WHERE lower(`+column+`) = lower(?) AND id <> ?`, []any{value, except}
	if scoped {
		var a int64
		if account != nil {
			a = *account
		}
		q += ` AND coalesce(account_id, 0) = ?`
		args = append(args, a)
	}
	var n int
	if err := tx.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nameTaken(column)
	}
	return nil
}

// checkAccountField reports an unknown account on field account_id; nil
// (a global entry) passes. PostgreSQL also holds the foreign key; SQLite
// cannot add one to an existing table, so this check is what keeps it.
func (tx *Tx) checkAccountField(ctx context.Context, account *int64) error {
	if account == nil {
		return nil
	}
	return tx.requireRowField(ctx, "accounts", *account, "account_id")
}

// deleteCatalogRow deletes one row of a catalog table and records typ.
func (db *DB) deleteCatalogRow(ctx context.Context, table, subject string, typ eventlog.Type, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: subject, SubjectID: &id})
		return err
	})
}

// updated reports not_found when an UPDATE changed no row.
func updated(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	return nil
}

// ---- tags

const tagSelect = `SELECT id, name, colour, description, created_at, updated_at FROM tags`

func scanTag(r rowScanner) (*conversation.Tag, error) {
	var t conversation.Tag
	if err := r.Scan(&t.ID, &t.Name, &t.Colour, &t.Description, &t.CreatedAt, &t.UpdatedAt); err != nil {
		return nil, err
	}
	return &t, nil
}

// Tags returns every tag ordered by name.
func (db *DB) Tags(ctx context.Context) ([]*conversation.Tag, error) {
	rows, err := db.query(ctx, tagSelect+` ORDER BY lower(name)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*conversation.Tag{}
	for rows.Next() {
		t, err := scanTag(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Tag returns one tag.
func (db *DB) Tag(ctx context.Context, id int64) (*conversation.Tag, error) {
	t, err := scanTag(db.queryRow(ctx, tagSelect+` WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return t, nil
}

// SaveTag creates (ID 0) or changes a tag.
func (db *DB) SaveTag(ctx context.Context, t *conversation.Tag, actor int64) (*conversation.Tag, error) {
	id := t.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkFree(ctx, "tags", "name", t.Name, false, nil, id); err != nil {
			return err
		}
		typ := eventlog.TagUpdated
		if id == 0 {
			typ = eventlog.TagCreated
			if err := tx.queryRow(ctx, `INSERT INTO tags (name, colour, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				t.Name, t.Colour, t.Description, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
		} else if err := updated(tx.exec(ctx, `UPDATE tags SET name = ?, colour = ?, description = ?, updated_at = ? WHERE id = ?`,
			t.Name, t.Colour, t.Description, tx.now, id)); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "tag", SubjectID: &id,
			Data: eventlog.Data(map[string]any{"name": t.Name, "colour": t.Colour})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Tag(ctx, id)
}

// DeleteTag deletes a tag.
func (db *DB) DeleteTag(ctx context.Context, id, actor int64) error {
	return db.deleteCatalogRow(ctx, "tags", "tag", eventlog.TagDeleted, id, actor)
}

// ---- dispositions

const dispositionSelect = `SELECT id, account_id, name, description, created_at, updated_at FROM dispositions`

func scanDisposition(r rowScanner) (*conversation.Disposition, error) {
	var d conversation.Disposition
	if err := r.Scan(&d.ID, &d.AccountID, &d.Name, &d.Description, &d.CreatedAt, &d.UpdatedAt); err != nil {
		return nil, err
	}
	return &d, nil
}

// Dispositions returns the dispositions, global ones first, then by name:
// with account nil every one, otherwise the global ones and that account's.
func (db *DB) Dispositions(ctx context.Context, account *int64) ([]*conversation.Disposition, error) {
	q, args := dispositionSelect, []any{}
	if account != nil {
		q += ` WHERE account_id IS NULL OR account_id = ?`
		args = append(args, *account)
	}
	rows, err := db.query(ctx, q+` ORDER BY coalesce(account_id, 0), lower(name)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*conversation.Disposition{}
	for rows.Next() {
		d, err := scanDisposition(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Disposition returns one disposition.
func (db *DB) Disposition(ctx context.Context, id int64) (*conversation.Disposition, error) {
	d, err := scanDisposition(db.queryRow(ctx, dispositionSelect+` WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return d, nil
}

// SaveDisposition creates (ID 0) or changes a disposition.
func (db *DB) SaveDisposition(ctx context.Context, d *conversation.Disposition, actor int64) (*conversation.Disposition, error) {
	id := d.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkAccountField(ctx, d.AccountID); err != nil {
			return err
		}
		if err := tx.checkFree(ctx, "dispositions", "name", d.Name, true, d.AccountID, id); err != nil {
			return err
		}
		typ := eventlog.DispositionUpdated
		if id == 0 {
			typ = eventlog.DispositionCreated
			if err := tx.queryRow(ctx, `INSERT INTO dispositions (account_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				d.AccountID, d.Name, d.Description, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
		} else if err := updated(tx.exec(ctx, `UPDATE dispositions SET account_id = ?, name = ?, description = ?, updated_at = ? WHERE id = ?`,
			d.AccountID, d.Name, d.Description, tx.now, id)); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "disposition", SubjectID: &id,
			Data: eventlog.Data(map[string]any{"name": d.Name, "account_id": d.AccountID})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Disposition(ctx, id)
}

// DeleteDisposition deletes a disposition.
func (db *DB) DeleteDisposition(ctx context.Context, id, actor int64) error {
	return db.deleteCatalogRow(ctx, "dispositions", "disposition", eventlog.DispositionDeleted, id, actor)
}

// ---- canned answers

const cannedAnswerSelect = `SELECT id, account_id, title, body, created_at, updated_at FROM canned_answers`

func scanCannedAnswer(r rowScanner) (*conversation.CannedAnswer, error) {
	var c conversation.CannedAnswer
	if err := r.Scan(&c.ID, &c.AccountID, &c.Title, &c.Body, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	return &c, nil
}

// CannedAnswers returns the canned answers ordered by title; with q set,
// only those whose title contains q, ignoring case; with account set, only
// the global ones and that account's local ones.
func (db *DB) CannedAnswers(ctx context.Context, q string, account *int64) ([]*conversation.CannedAnswer, error) {
	sq, args := cannedAnswerSelect+` WHERE 1 = 1`, []any{}
	if q != "" {
		sq += ` AND lower(title) LIKE ? ESCAPE '\'`
		args = append(args, likePattern(q))
	}
	if account != nil {
		sq += ` AND (account_id IS NULL OR account_id = ?)`
		args = append(args, *account)
	}
	rows, err := db.query(ctx, sq+` ORDER BY lower(title), id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*conversation.CannedAnswer{}
	for rows.Next() {
		c, err := scanCannedAnswer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CannedAnswer returns one canned answer.
func (db *DB) CannedAnswer(ctx context.Context, id int64) (*conversation.CannedAnswer, error) {
	c, err := scanCannedAnswer(db.queryRow(ctx, cannedAnswerSelect+` WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return c, nil
}

// SaveCannedAnswer creates (ID 0) or changes a canned answer.
func (db *DB) SaveCannedAnswer(ctx context.Context, c *conversation.CannedAnswer, actor int64) (*conversation.CannedAnswer, error) {
	id := c.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkAccountField(ctx, c.AccountID); err != nil {
			return err
		}
		if err := tx.checkFree(ctx, "canned_answers", "title", c.Title, true, c.AccountID, id); err != nil {
			return err
		}
		typ := eventlog.CannedAnswerUpdated
		if id == 0 {
			typ = eventlog.CannedAnswerCreated
			if err := tx.queryRow(ctx, `INSERT INTO canned_answers (account_id, title, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				c.AccountID, c.Title, c.Body, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
		} else if err := updated(tx.exec(ctx, `UPDATE canned_answers SET account_id = ?, title = ?, body = ?, updated_at = ? WHERE id = ?`,
			c.AccountID, c.Title, c.Body, tx.now, id)); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "canned_answer", SubjectID: &id,
			Data: eventlog.Data(map[string]any{"title": c.Title, "account_id": c.AccountID})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.CannedAnswer(ctx, id)
}

// DeleteCannedAnswer deletes a canned answer.
func (db *DB) DeleteCannedAnswer(ctx context.Context, id, actor int64) error {
	return db.deleteCatalogRow(ctx, "canned_answers", "canned_answer", eventlog.CannedAnswerDeleted, id, actor)
}

// ---- sub-statuses

const subStatusSelect = `SELECT id, name, description, builtin, created_at, updated_at FROM sub_statuses`

func scanSubStatus(r rowScanner) (*conversation.SubStatus, error) {
	var s conversation.SubStatus
	if err := r.Scan(&s.ID, &s.Name, &s.Description, &s.Builtin, &s.CreatedAt, &s.UpdatedAt); err != nil {
		return nil, err
	}
	return &s, nil
}

// SubStatuses returns every sub-status, built-in ones first, then by name.
func (db *DB) SubStatuses(ctx context.Context) ([]*conversation.SubStatus, error) {
	rows, err := db.query(ctx, subStatusSelect+` ORDER BY builtin DESC, lower(name)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*conversation.SubStatus{}
	for rows.Next() {
		s, err := scanSubStatus(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SubStatus returns one sub-status.
func (db *DB) SubStatus(ctx context.Context, id int64) (*conversation.SubStatus, error) {
	s, err := scanSubStatus(db.queryRow(ctx, subStatusSelect+` WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return s, nil
}

// SaveSubStatus creates (ID 0) or changes a sub-status. The built-in flag
// is never written: new ones are custom, and a built-in one keeps its name
// (the caller checks; the UPDATE also refuses it).
func (db *DB) SaveSubStatus(ctx context.Context, s *conversation.SubStatus, actor int64) (*conversation.SubStatus, error) {
	id := s.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkFree(ctx, "sub_statuses", "name", s.Name, false, nil, id); err != nil {
			return err
		}
		typ := eventlog.SubStatusUpdated
		if id == 0 {
			typ = eventlog.SubStatusCreated
			if err := tx.queryRow(ctx, `INSERT INTO sub_statuses (name, description, builtin, created_at, updated_at) VALUES (?, ?, FALSE, ?, ?) RETURNING id`,
				s.Name, s.Description, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
		} else if err := updated(tx.exec(ctx, `UPDATE sub_statuses SET name = ?, description = ?, updated_at = ?
			WHERE id = ? AND (builtin = FALSE OR name = ?)`, s.Name, s.Description, tx.now, id, s.Name)); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "sub_status", SubjectID: &id,
			Data: eventlog.Data(map[string]any{"name": s.Name})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.SubStatus(ctx, id)
}

// DeleteSubStatus deletes a custom sub-status; a built-in one is a conflict.
func (db *DB) DeleteSubStatus(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var builtin bool
		if err := tx.queryRow(ctx, `SELECT builtin FROM sub_statuses WHERE id = ?`, id).Scan(&builtin); err != nil {
			return mapError(err)
		}
		if builtin {
			return apperr.New(apperr.Conflict, "sub_status.builtin_delete")
		}
		if _, err := tx.exec(ctx, `DELETE FROM sub_statuses WHERE id = ?`, id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.SubStatusDeleted, ActorID: actorPtr(actor), SubjectType: "sub_status", SubjectID: &id})
		return err
	})
}

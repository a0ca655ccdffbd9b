package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

const principalColumns = `id, kind, username, full_name, email, password_hash, password_changed_at,
	must_change_password, failed_logins, locked_at, lock_reason, disabled, last_login_at, deleted_at,
	created_at, updated_at`

type rowScanner interface{ Scan(dest ...any) error }

// principalColumnsOf is principalColumns of the table named alias.
func principalColumnsOf(alias string) string {
	cols := strings.Split(principalColumns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// leadingScanner scans its row's first columns into lead, the rest into
// what Scan is given: a scanner of one table's columns (scanPrincipal)
// reading a row that begins with another's.
type leadingScanner struct {
	row  rowScanner
	lead []any
}

func leading(row rowScanner, lead ...any) rowScanner { return leadingScanner{row, lead} }

func (l leadingScanner) Scan(dest ...any) error {
	return l.row.Scan(append(l.lead[:len(l.lead):len(l.lead)], dest...)...)
}

// queryAll runs a query and scans each of its rows with scan.
func queryAll[T any](ctx context.Context, db *DB, scan func(rowScanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanPrincipal(r rowScanner) (*auth.Principal, error) {
	var p auth.Principal
	var kind string
	var pwChanged, locked, lastLogin, deleted sql.NullTime
	err := r.Scan(&p.ID, &kind, &p.Username, &p.FullName, &p.Email, &p.PasswordHash, &pwChanged,
		&p.MustChangePassword, &p.FailedLogins, &locked, &p.LockReason, &p.Disabled, &lastLogin, &deleted,
		&p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, err
	}
	p.Kind = auth.Kind(kind)
	p.PasswordChangedAt = ptrTime(pwChanged)
	p.LockedAt = ptrTime(locked)
	p.LastLoginAt = ptrTime(lastLogin)
	p.DeletedAt = ptrTime(deleted)
	return &p, nil
}

func ptrTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// CreatePrincipal stores a new principal and returns it with its id. A taken
// username (also by a deleted member) is a conflict on field "username".
func (db *DB) CreatePrincipal(ctx context.Context, p auth.Principal, actor int64) (*auth.Principal, error) {
	var out *auth.Principal
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.CreatePrincipal(ctx, p, actor)
		return err
	})
	return out, err
}

// CreatePrincipal is the in-transaction form, for callers that store more
// rows with the principal (an agent's settings, say).
func (tx *Tx) CreatePrincipal(ctx context.Context, p auth.Principal, actor int64) (*auth.Principal, error) {
	var taken int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM principals WHERE lower(username) = lower(?)`, p.Username).Scan(&taken); err != nil {
		return nil, err
	}
	if taken > 0 {
		return nil, &apperr.Error{Code: apperr.Conflict, Message: apperr.Message{Key: "error.conflict"},
			Fields: map[string]apperr.Message{"username": {Key: "username.taken"}}}
	}
	row := tx.queryRow(ctx, `
		INSERT INTO principals (kind, username, full_name, email, password_hash, password_changed_at,
			must_change_password, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING `+principalColumns,
		string(p.Kind), p.Username, p.FullName, p.Email, p.PasswordHash, tx.now,
		p.MustChangePassword, p.Disabled, tx.now, tx.now)
	out, err := scanPrincipal(row)
	if err != nil {
		return nil, fmt.Errorf("store: create principal: %w", mapError(err))
	}
	err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PrincipalCreated, ActorID: actorPtr(actor),
		SubjectType: "principal", SubjectID: &out.ID,
		Data: eventlog.Data(map[string]any{"kind": out.Kind, "username": out.Username})})
	return out, err
}

// Principal returns a principal by id, deleted ones included.
func (db *DB) Principal(ctx context.Context, id int64) (*auth.Principal, error) {
	p, err := scanPrincipal(db.queryRow(ctx, `SELECT `+principalColumns+` FROM principals WHERE id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	return p, nil
}

// PrincipalByUsername finds a principal that is not deleted, ignoring case.
func (db *DB) PrincipalByUsername(ctx context.Context, username string) (*auth.Principal, error) {
	p, err := scanPrincipal(db.queryRow(ctx, `SELECT `+principalColumns+`
		FROM principals WHERE lower(username) = lower(?) AND deleted_at IS NULL`, username))
	if err != nil {
		return nil, mapError(err)
	}
	return p, nil
}

// PrincipalsByEmail lists the live principals with an email address, ignoring case.
func (db *DB) PrincipalsByEmail(ctx context.Context, email string) ([]*auth.Principal, error) {
	rows, err := db.query(ctx, `SELECT `+principalColumns+`
		FROM principals WHERE lower(email) = lower(?) AND email <> '' AND deleted_at IS NULL ORDER BY id`, email)
	if err != nil {
		return nil, fmt.Errorf("store: principals by email: %w", err)
	}
	return collectPrincipals(rows)
}

func collectPrincipals(rows *sql.Rows) ([]*auth.Principal, error) {
	defer rows.Close()
	var out []*auth.Principal
	for rows.Next() {
		p, err := scanPrincipal(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan principal: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PrincipalFilter selects principals for a list.
type PrincipalFilter struct {
	Kinds  []auth.Kind
	Query  string // substring of username, full name or email
	Limit  int
	Offset int
}

// Principals lists live principals by username, with the total count.
func (db *DB) Principals(ctx context.Context, f PrincipalFilter) ([]*auth.Principal, int, error) {
	where := "deleted_at IS NULL"
	var args []any
	if len(f.Kinds) > 0 {
		where += " AND kind IN ("
		for i, k := range f.Kinds {
			if i > 0 {
				where += ", "
			}
			where += "?"
			args = append(args, string(k))
		}
		where += ")"
	}
	if f.Query != "" {
		where += ` AND (lower(username) LIKE ? ESCAPE '\' OR lower(full_name) LIKE ? ESCAPE '\' OR lower(email) LIKE ? ESCAPE '\')`
		pat := likePattern(f.Query)
		args = append(args, pat, pat, pat)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT count(*) FROM principals WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count principals: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := db.query(ctx, fmt.Sprintf(`SELECT `+principalColumns+` FROM principals WHERE `+where+
		` ORDER BY lower(username) LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: principals: %w", err)
	}
	list, err := collectPrincipals(rows)
	return list, total, err
}

// CountAdmins counts live admins, to know whether to bootstrap one.
func (db *DB) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM principals WHERE kind = 'admin' AND deleted_at IS NULL`).Scan(&n)
	return n, err
}

// RecordLoginFailure counts a wrong password; when lockAfter > 0 and the count
// reaches it, the account is locked. It reports whether the account is now locked.
func (db *DB) RecordLoginFailure(ctx context.Context, id int64, lockAfter int, ip string) (bool, error) {
	var locked bool
	err := db.InTx(ctx, func(tx *Tx) error {
		var failures int
		var lockedAt sql.NullTime
		err := tx.queryRow(ctx, `UPDATE principals SET failed_logins = failed_logins + 1, updated_at = ?
			WHERE id = ? RETURNING failed_logins, locked_at`, tx.now, id).Scan(&failures, &lockedAt)
		if err != nil {
			return err
		}
		if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.LoginFailed, SubjectType: "principal",
			SubjectID: &id, Data: eventlog.Data(map[string]any{"ip": ip, "failures": failures})}); err != nil {
			return err
		}
		if lockedAt.Valid || lockAfter <= 0 || failures < lockAfter {
			locked = lockedAt.Valid
			return nil
		}
		reason := fmt.Sprintf("%d failed logins", failures)
		if _, err := tx.exec(ctx, `UPDATE principals SET locked_at = ?, lock_reason = ? WHERE id = ?`, tx.now, reason, id); err != nil {
			return err
		}
		locked = true
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PrincipalLocked, SubjectType: "principal",
			SubjectID: &id, Data: eventlog.Data(map[string]any{"reason": reason})})
		return err
	})
	return locked, err
}

// RecordLogin resets the failure count and stamps the last login.
func (tx *Tx) recordLogin(ctx context.Context, id int64, ip string) error {
	if _, err := tx.exec(ctx, `UPDATE principals SET failed_logins = 0, last_login_at = ?, updated_at = ? WHERE id = ?`,
		tx.now, tx.now, id); err != nil {
		return err
	}
	err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.LoginSucceeded, ActorID: &id, SubjectType: "principal",
		SubjectID: &id, Data: eventlog.Data(map[string]any{"ip": ip})})
	return err
}

// SetPassword replaces a password hash. mustChange forces a change at the
// next sign-in; typ says why (changed by the owner, set by an admin, reset).
func (db *DB) SetPassword(ctx context.Context, id int64, hash string, mustChange bool, typ eventlog.Type, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.setPassword(ctx, id, hash, mustChange, typ, actor) })
}

func (tx *Tx) setPassword(ctx context.Context, id int64, hash string, mustChange bool, typ eventlog.Type, actor int64) error {
	res, err := tx.exec(ctx, `UPDATE principals SET password_hash = ?, password_changed_at = ?, must_change_password = ?,
		updated_at = ? WHERE id = ? AND deleted_at IS NULL`, hash, tx.now, mustChange, tx.now, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	err = tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "principal", SubjectID: &id})
	return err
}

// Unlock clears a lockout and the failure count.
func (db *DB) Unlock(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE principals SET locked_at = NULL, lock_reason = '', failed_logins = 0, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL`, tx.now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PrincipalUnlocked, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &id})
		return err
	})
}

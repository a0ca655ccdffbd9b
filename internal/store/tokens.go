package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// CreateAPIToken stores a token's hash; the token itself is never stored.
func (db *DB) CreateAPIToken(ctx context.Context, t auth.APIToken) (*auth.APIToken, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		if err := tx.queryRow(ctx, `INSERT INTO api_tokens (name, prefix, token_hash, principal_id, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, t.Name, t.Prefix, t.TokenHash, t.PrincipalID, t.CreatedAt).Scan(&t.ID); err != nil {
			return fmt.Errorf("store: create api token: %w", err)
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.APITokenCreated, ActorID: &t.PrincipalID,
			SubjectType: "api_token", SubjectID: &t.ID, Data: eventlog.Data(map[string]any{"name": t.Name})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

const apiTokenSelect = `SELECT t.id, t.name, t.prefix, t.token_hash, t.principal_id, p.username, t.created_at, t.last_used_at, t.revoked_at
	FROM api_tokens t JOIN principals p ON p.id = t.principal_id`

func scanAPIToken(r rowScanner) (*auth.APIToken, error) {
	var t auth.APIToken
	var used, revoked sql.NullTime
	if err := r.Scan(&t.ID, &t.Name, &t.Prefix, &t.TokenHash, &t.PrincipalID, &t.CreatedBy, &t.CreatedAt, &used, &revoked); err != nil {
		return nil, err
	}
	t.LastUsedAt, t.RevokedAt = ptrTime(used), ptrTime(revoked)
	return &t, nil
}

// APITokens lists the tokens not revoked, newest first.
func (db *DB) APITokens(ctx context.Context) ([]*auth.APIToken, error) {
	rows, err := db.query(ctx, apiTokenSelect+` WHERE t.revoked_at IS NULL ORDER BY t.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: api tokens: %w", err)
	}
	defer rows.Close()
	out := []*auth.APIToken{}
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// APITokenByHash finds a live token.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (*auth.APIToken, error) {
	t, err := scanAPIToken(db.queryRow(ctx, apiTokenSelect+` WHERE t.token_hash = ? AND t.revoked_at IS NULL`, hash))
	if err != nil {
		return nil, mapError(err)
	}
	return t, nil
}

// TouchAPIToken stamps the last use of a token.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, at, id)
	return err
}

// RevokeAPIToken makes a token unusable for good.
func (db *DB) RevokeAPIToken(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, tx.now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.APITokenRevoked, ActorID: actorPtr(actor),
			SubjectType: "api_token", SubjectID: &id})
		return err
	})
}

// CreatePasswordReset stores the hash of a single-use reset link.
func (db *DB) CreatePasswordReset(ctx context.Context, principalID int64, hash string, expires time.Time) error {
	_, err := db.exec(ctx, `INSERT INTO password_resets (token_hash, principal_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hash, principalID, db.clock.Now().UTC(), expires)
	return err
}

// ResetPassword spends a reset link and sets the new password in one
// transaction: a link works once, and only before it expires.
func (db *DB) ResetPassword(ctx context.Context, tokenHash string, newHash func(p *auth.Principal) (string, error)) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var principalID int64
		err := tx.queryRow(ctx, `UPDATE password_resets SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING principal_id`,
			tx.now, tokenHash, tx.now).Scan(&principalID)
		if err == sql.ErrNoRows {
			return apperr.Field("token", "reset.token_invalid")
		}
		if err != nil {
			return err
		}
		p, err := scanPrincipal(tx.queryRow(ctx, `SELECT `+principalColumns+` FROM principals WHERE id = ? AND deleted_at IS NULL`, principalID))
		if err != nil {
			return apperr.Field("token", "reset.token_invalid")
		}
		hash, err := newHash(p)
		if err != nil {
			return err
		}
		if err := tx.setPassword(ctx, principalID, hash, false, eventlog.PasswordReset, 0); err != nil {
			return err
		}
		// A reset proves control of the mailbox: clear a lockout and end
		// every session that may belong to whoever else knew the old password.
		if _, err := tx.exec(ctx, `UPDATE principals SET locked_at = NULL, lock_reason = '', failed_logins = 0 WHERE id = ?`, principalID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM sessions WHERE principal_id = ?`, principalID)
		return err
	})
}

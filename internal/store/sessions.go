package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// CreateSession stores a new session and records the successful sign-in.
func (db *DB) CreateSession(ctx context.Context, s auth.Session) (*auth.Session, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		s.CreatedAt, s.LastSeenAt = tx.now, tx.now
		if err := tx.queryRow(ctx, `
			INSERT INTO sessions (token_hash, principal_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.TokenHash, s.PrincipalID, s.CSRFToken, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.IP, s.UserAgent,
		).Scan(&s.ID); err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		return tx.recordLogin(ctx, s.PrincipalID, s.IP)
	})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// sessionQuery reads a session, a setting and the session's principal
// (built once: it runs on every request).
var sessionQuery = `SELECT s.id, s.token_hash, s.principal_id, s.csrf_token, s.created_at,
	s.last_seen_at, s.expires_at, s.ip, s.user_agent, (SELECT value FROM settings WHERE key = ?), ` + principalColumnsOf("p") + `
	FROM sessions s JOIN principals p ON p.id = s.principal_id WHERE s.token_hash = ? AND s.expires_at > ?`

// SessionByTokenHash returns an unexpired session, its principal and,
// read in the same statement, the setting settingKey (into setting; left
// as it is when unset): what every signed-in request needs, in one round
// trip.
func (db *DB) SessionByTokenHash(ctx context.Context, hash string, now time.Time, settingKey string, setting any) (*auth.Session, *auth.Principal, error) {
	var s auth.Session
	var raw sql.NullString
	p, err := scanPrincipal(leading(db.queryRow(ctx, sessionQuery, settingKey, hash, now),
		&s.ID, &s.TokenHash, &s.PrincipalID, &s.CSRFToken, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.IP, &s.UserAgent, &raw))
	if err != nil {
		return nil, nil, mapError(err)
	}
	if raw.Valid {
		if err := json.Unmarshal([]byte(raw.String), setting); err != nil {
			return nil, nil, fmt.Errorf("store: setting %s: %w", settingKey, err)
		}
	}
	return &s, p, nil
}

// TouchSession records use of a session and slides its expiry.
func (db *DB) TouchSession(ctx context.Context, id int64, seen, expires time.Time) error {
	_, err := db.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`, seen, expires, id)
	return err
}

// DeleteSession ends one session (sign-out).
func (db *DB) DeleteSession(ctx context.Context, id, principalID int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.LoggedOut, ActorID: &principalID,
			SubjectType: "principal", SubjectID: &principalID})
		return err
	})
}

// DeletePrincipalSessions ends every session of a principal ("log out
// everywhere", and after a password change or reset by someone else).
func (db *DB) DeletePrincipalSessions(ctx context.Context, principalID, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE principal_id = ?`, principalID); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.LoggedOutEverywhere, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &principalID})
		return err
	})
}

// DeleteExpiredSessions removes sessions past their expiry and used or
// expired reset links; it returns how many sessions went.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, now)
	if err != nil {
		return 0, err
	}
	if _, err := db.exec(ctx, `DELETE FROM password_resets WHERE expires_at <= ?`, now); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Presence is a logged-in agent's state.
type Presence struct {
	AgentID       int64      `json:"agent_id"`
	LoggedInAt    time.Time  `json:"logged_in_at"`
	ProfileID     *int64     `json:"profile_id"` // nil: Personal profile only
	ProfileName   string     `json:"profile_name"`
	Paused        bool       `json:"paused"`
	PauseReasonID *int64     `json:"pause_reason_id"` // nil with Paused: the default pause
	PauseReason   string     `json:"pause_reason"`
	PausedAt      *time.Time `json:"paused_at"`
}

const presenceSelect = `SELECT pr.principal_id, pr.logged_in_at, pr.profile_id, COALESCE(ap.name, ''), pr.paused,
	pr.pause_reason_id, COALESCE(r.name, ''), pr.paused_at
	FROM agent_presence pr LEFT JOIN agent_profiles ap ON ap.id = pr.profile_id
	LEFT JOIN pause_reasons r ON r.id = pr.pause_reason_id`

func scanPresence(r rowScanner) (*Presence, error) {
	var p Presence
	var profile, reason sql.NullInt64
	var pausedAt sql.NullTime
	if err := r.Scan(&p.AgentID, &p.LoggedInAt, &profile, &p.ProfileName, &p.Paused, &reason, &p.PauseReason, &pausedAt); err != nil {
		return nil, err
	}
	p.ProfileID, p.PauseReasonID, p.PausedAt = ptrID(profile), ptrID(reason), ptrTime(pausedAt)
	return &p, nil
}

// PresenceOf returns an agent's presence, not_found when logged out.
func (db *DB) PresenceOf(ctx context.Context, agentID int64) (*Presence, error) {
	p, err := scanPresence(db.queryRow(ctx, presenceSelect+` WHERE pr.principal_id = ?`, agentID))
	return p, mapError(err)
}

// Presences lists every logged-in agent, to rebuild routing at start.
func (db *DB) Presences(ctx context.Context) ([]*Presence, error) {
	rows, err := db.query(ctx, presenceSelect+` ORDER BY pr.principal_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Presence
	for rows.Next() {
		p, err := scanPresence(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// profileColumns are report_member's data3/data4 for a profile: NULL for
// the Personal profile.
func (tx *Tx) profileColumns(ctx context.Context, profileID *int64) (any, any, error) {
	if profileID == nil {
		return nil, nil, nil
	}
	var name string
	var enabled bool
	if err := tx.queryRow(ctx, `SELECT name, enabled FROM agent_profiles WHERE id = ?`, *profileID).Scan(&name, &enabled); err != nil {
		return nil, nil, apperr.Field("profile_id", "agent_profile.unknown")
	}
	return strconv.FormatInt(*profileID, 10), name, nil
}

// checkProfileSelectable: the profile is enabled and the agent is in it.
func (tx *Tx) checkProfileSelectable(ctx context.Context, agentID int64, profileID *int64) error {
	if profileID == nil {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM agent_profiles ap JOIN agent_profile_agents apa ON apa.profile_id = ap.id
		WHERE ap.id = ? AND apa.principal_id = ? AND ap.enabled`, *profileID, agentID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return apperr.Field("profile_id", "agent_profile.not_selectable")
	}
	return nil
}

// Login records an agent's login with a profile (nil: Personal), paused or
// not, and opens his report_member row. Logging in again replaces the old
// login (its row is closed).
func (db *DB) Login(ctx context.Context, agentID int64, profileID *int64, paused bool) (*Presence, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkProfileSelectable(ctx, agentID, profileID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE report_member SET exit_at = ? WHERE agent_id = ? AND exit_at IS NULL`, tx.now, agentID); err != nil {
			return err
		}
		var pausedAt any
		if paused {
			pausedAt = tx.now
		}
		if _, err := tx.exec(ctx, `INSERT INTO agent_presence (principal_id, logged_in_at, profile_id, paused, pause_reason_id, paused_at)
			VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (principal_id) DO UPDATE SET logged_in_at = excluded.logged_in_at,
			profile_id = excluded.profile_id, paused = excluded.paused, pause_reason_id = NULL, paused_at = excluded.paused_at`,
			agentID, tx.now, nullID(profileID), paused, pausedAt); err != nil {
			return err
		}
		if err := tx.openMemberRow(ctx, agentID, profileID); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.AgentLogin, ActorID: &agentID, SubjectType: "agent",
			SubjectID: &agentID, Data: eventlog.Data(map[string]any{"profile_id": profileID, "paused": paused})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.PresenceOf(ctx, agentID)
}

func (tx *Tx) openMemberRow(ctx context.Context, agentID int64, profileID *int64) error {
	d3, d4, err := tx.profileColumns(ctx, profileID)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO report_member (agent_id, enter_at, data3, data4) VALUES (?, ?, ?, ?)`, agentID, tx.now, d3, d4)
	return err
}

// ChangeProfile switches a logged-in agent's profile: the current
// report_member row gets its exit time and a new one opens.
func (db *DB) ChangeProfile(ctx context.Context, agentID int64, profileID *int64) (*Presence, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkProfileSelectable(ctx, agentID, profileID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE agent_presence SET profile_id = ? WHERE principal_id = ?`, nullID(profileID), agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "agent.not_logged_in")
		}
		if _, err := tx.exec(ctx, `UPDATE report_member SET exit_at = ? WHERE agent_id = ? AND exit_at IS NULL`, tx.now, agentID); err != nil {
			return err
		}
		if err := tx.openMemberRow(ctx, agentID, profileID); err != nil {
			return err
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.AgentProfileChanged, ActorID: &agentID, SubjectType: "agent",
			SubjectID: &agentID, Data: eventlog.Data(map[string]any{"profile_id": profileID})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.PresenceOf(ctx, agentID)
}

// Logout ends an agent's login; actor is who did it (himself or a supervisor).
func (db *DB) Logout(ctx context.Context, agentID, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM agent_presence WHERE principal_id = ?`, agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "agent.not_logged_in")
		}
		if _, err := tx.exec(ctx, `UPDATE report_member SET exit_at = ? WHERE agent_id = ? AND exit_at IS NULL`, tx.now, agentID); err != nil {
			return err
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.AgentLogout, ActorID: actorPtr(actor), SubjectType: "agent",
			SubjectID: &agentID})
		return err
	})
}

// SetPause pauses (with a reason; nil = default pause) or resumes an agent.
func (db *DB) SetPause(ctx context.Context, agentID int64, paused bool, reasonID *int64, actor int64) (*Presence, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if reasonID != nil {
			if err := tx.requireRowField(ctx, "pause_reasons", *reasonID, "reason_id"); err != nil {
				return err
			}
		}
		var pausedAt any
		typ := eventlog.AgentResumed
		if paused {
			pausedAt, typ = tx.now, eventlog.AgentPaused
		} else {
			reasonID = nil
		}
		res, err := tx.exec(ctx, `UPDATE agent_presence SET paused = ?, pause_reason_id = ?, paused_at = ? WHERE principal_id = ?`,
			paused, nullID(reasonID), pausedAt, agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "agent.not_logged_in")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "agent",
			SubjectID: &agentID, Data: eventlog.Data(map[string]any{"reason_id": reasonID})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.PresenceOf(ctx, agentID)
}

// MemberRow is one report_member row.
type MemberRow struct {
	ID      int64      `json:"id"`
	AgentID int64      `json:"agent_id"`
	EnterAt time.Time  `json:"enter_at"`
	ExitAt  *time.Time `json:"exit_at"`
	Data3   *string    `json:"data3"`
	Data4   *string    `json:"data4"`
}

// ReportMember lists an agent's login segments, oldest first.
func (db *DB) ReportMember(ctx context.Context, agentID int64) ([]MemberRow, error) {
	rows, err := db.query(ctx, `SELECT id, agent_id, enter_at, exit_at, data3, data4 FROM report_member WHERE agent_id = ? ORDER BY id`, agentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MemberRow{}
	for rows.Next() {
		var m MemberRow
		var exit sql.NullTime
		var d3, d4 sql.NullString
		if err := rows.Scan(&m.ID, &m.AgentID, &m.EnterAt, &exit, &d3, &d4); err != nil {
			return nil, err
		}
		m.ExitAt = ptrTime(exit)
		if d3.Valid {
			m.Data3 = &d3.String
		}
		if d4.Valid {
			m.Data4 = &d4.String
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

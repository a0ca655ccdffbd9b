package store

import (
	"context"
	"fmt"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

const agentProfileSelect = `SELECT ap.id, ap.name, ap.description, ap.enabled, ap.created_at, ap.updated_at,
	(SELECT count(*) FROM agent_presence pr WHERE pr.profile_id = ap.id) FROM agent_profiles ap`

func scanAgentProfile(r rowScanner) (*staff.AgentProfile, error) {
	var p staff.AgentProfile
	if err := r.Scan(&p.ID, &p.Name, &p.Description, &p.Enabled, &p.CreatedAt, &p.UpdatedAt, &p.InUse); err != nil {
		return nil, err
	}
	return &p, nil
}

// AgentProfile returns a profile with its agents and queues.
func (db *DB) AgentProfile(ctx context.Context, id int64) (*staff.AgentProfile, error) {
	p, err := scanAgentProfile(db.queryRow(ctx, agentProfileSelect+` WHERE ap.id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	if p.AgentIDs, err = db.ids(ctx, `SELECT apa.principal_id FROM agent_profile_agents apa
		JOIN principals p ON p.id = apa.principal_id WHERE apa.profile_id = ? AND p.deleted_at IS NULL ORDER BY 1`, id); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT q.id, q.name, q.channel, apq.penalty FROM agent_profile_queues apq
		JOIN queues q ON q.id = apq.queue_id WHERE apq.profile_id = ? ORDER BY q.channel, lower(q.name)`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p.Queues = []staff.ProfileQueue{}
	for rows.Next() {
		var q staff.ProfileQueue
		var ch string
		if err := rows.Scan(&q.QueueID, &q.Name, &ch, &q.Penalty); err != nil {
			return nil, err
		}
		q.Channel = staff.Channel(ch)
		p.Queues = append(p.Queues, q)
	}
	return p, rows.Err()
}

// AgentProfiles lists every profile (with agents and queues).
func (db *DB) AgentProfiles(ctx context.Context) ([]*staff.AgentProfile, error) {
	ids, err := db.ids(ctx, `SELECT id FROM agent_profiles ORDER BY lower(name)`)
	if err != nil {
		return nil, err
	}
	out := []*staff.AgentProfile{}
	for _, id := range ids {
		p, err := db.AgentProfile(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// SaveAgentProfile creates (ID 0) or replaces a profile with its agents and
// queues.
func (db *DB) SaveAgentProfile(ctx context.Context, p *staff.AgentProfile, actor int64) (*staff.AgentProfile, error) {
	id := p.ID
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkNameFree(ctx, "agent_profiles", p.Name, id); err != nil {
			return err
		}
		typ := eventlog.AgentProfileUpdated
		if id == 0 {
			typ = eventlog.AgentProfileCreated
			if err := tx.queryRow(ctx, `INSERT INTO agent_profiles (name, description, enabled, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?) RETURNING id`, p.Name, p.Description, p.Enabled, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
		} else {
			res, err := tx.exec(ctx, `UPDATE agent_profiles SET name = ?, description = ?, enabled = ?, updated_at = ? WHERE id = ?`,
				p.Name, p.Description, p.Enabled, tx.now, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.New(apperr.NotFound, "error.not_found")
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM agent_profile_agents WHERE profile_id = ?`, id); err != nil {
			return err
		}
		for _, a := range p.AgentIDs {
			var n int
			if err := tx.queryRow(ctx, `SELECT count(*) FROM principals WHERE id = ? AND kind = 'agent' AND deleted_at IS NULL`, a).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.Field("agent_ids", "agent.unknown", a)
			}
			if _, err := tx.exec(ctx, `INSERT INTO agent_profile_agents (profile_id, principal_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, a); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM agent_profile_queues WHERE profile_id = ?`, id); err != nil {
			return err
		}
		for _, q := range p.Queues {
			if err := tx.requireRowField(ctx, "queues", q.QueueID, "queues"); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO agent_profile_queues (profile_id, queue_id, penalty) VALUES (?, ?, ?)
				ON CONFLICT (profile_id, queue_id) DO UPDATE SET penalty = excluded.penalty`, id, q.QueueID, q.Penalty); err != nil {
				return err
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "agent_profile",
			SubjectID: &id, Data: eventlog.Data(map[string]any{"name": p.Name, "enabled": p.Enabled,
				"agent_ids": p.AgentIDs, "queues": p.Queues})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.AgentProfile(ctx, id)
}

// DeleteAgentProfile deletes a profile no logged-in agent is using.
func (db *DB) DeleteAgentProfile(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var using int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM agent_presence WHERE profile_id = ?`, id).Scan(&using); err != nil {
			return err
		}
		if using > 0 {
			return apperr.New(apperr.Conflict, "agent_profile.in_use", using)
		}
		res, err := tx.exec(ctx, `DELETE FROM agent_profiles WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.AgentProfileDeleted, ActorID: actorPtr(actor),
			SubjectType: "agent_profile", SubjectID: &id})
		return err
	})
}

// AgentProfilesOf lists the enabled profiles an agent may pick at login.
func (db *DB) AgentProfilesOf(ctx context.Context, agentID int64) ([]staff.Ref, error) {
	rows, err := db.query(ctx, `SELECT ap.id, ap.name FROM agent_profiles ap JOIN agent_profile_agents apa ON apa.profile_id = ap.id
		WHERE apa.principal_id = ? AND ap.enabled ORDER BY lower(ap.name)`, agentID)
	if err != nil {
		return nil, fmt.Errorf("store: agent profiles of %d: %w", agentID, err)
	}
	defer rows.Close()
	out := []staff.Ref{}
	for rows.Next() {
		var r staff.Ref
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PauseReasons lists the admin-defined pause reasons.
func (db *DB) PauseReasons(ctx context.Context) ([]staff.PauseReason, error) {
	rows, err := db.query(ctx, `SELECT id, name, description, created_at FROM pause_reasons ORDER BY lower(name)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []staff.PauseReason{}
	for rows.Next() {
		var p staff.PauseReason
		if err := rows.Scan(&p.ID, &p.Name, &p.Description, &p.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreatePauseReason stores a pause reason with a unique name.
func (db *DB) CreatePauseReason(ctx context.Context, name, description string, actor int64) (*staff.PauseReason, error) {
	var p staff.PauseReason
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkNameFree(ctx, "pause_reasons", name, 0); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `INSERT INTO pause_reasons (name, description, created_at) VALUES (?, ?, ?)
			RETURNING id, name, description, created_at`, name, description, tx.now).Scan(&p.ID, &p.Name, &p.Description, &p.CreatedAt); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PauseReasonCreated, ActorID: actorPtr(actor),
			SubjectType: "pause_reason", SubjectID: &p.ID, Data: eventlog.Data(map[string]any{"name": name})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// DeletePauseReason deletes a pause reason; agents paused with it stay
// paused, with the default pause.
func (db *DB) DeletePauseReason(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM pause_reasons WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PauseReasonDeleted, ActorID: actorPtr(actor),
			SubjectType: "pause_reason", SubjectID: &id})
		return err
	})
}

package store

import (
	"context"
	"fmt"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

func nameTaken(field string) error {
	return &apperr.Error{Code: apperr.Conflict, Message: apperr.Message{Key: "error.conflict"},
		Fields: map[string]apperr.Message{field: {Key: "name.taken"}}}
}

// CreateTeam stores a team; its name is unique ignoring case.
func (db *DB) CreateTeam(ctx context.Context, name, description string, actor int64) (*staff.Team, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkNameFree(ctx, "teams", name, 0); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `INSERT INTO teams (name, description, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
			name, description, tx.now, tx.now).Scan(&id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.TeamCreated, ActorID: actorPtr(actor),
			SubjectType: "team", SubjectID: &id, Data: eventlog.Data(map[string]any{"name": name})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Team(ctx, id, nil)
}

// checkNameFree refuses a name already used in table (teams, queues,
// user_profiles) by another row than except.
func (tx *Tx) checkNameFree(ctx context.Context, table, name string, except int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM `+table+` WHERE lower(name) = lower(?) AND id <> ?`, name, except).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nameTaken("name")
	}
	return nil
}

const teamSelect = `SELECT t.id, t.name, t.description, t.created_at, t.updated_at,
	(SELECT count(*) FROM team_members m JOIN principals p ON p.id = m.principal_id
		WHERE m.team_id = t.id AND p.deleted_at IS NULL) FROM teams t`

func scanTeam(r rowScanner) (*staff.Team, error) {
	var t staff.Team
	if err := r.Scan(&t.ID, &t.Name, &t.Description, &t.CreatedAt, &t.UpdatedAt, &t.AgentCount); err != nil {
		return nil, err
	}
	return &t, nil
}

// Team returns a team with its live agents and queues. With scope set, only
// the agents that user profile may operate on are listed.
func (db *DB) Team(ctx context.Context, id int64, scope *int64) (*staff.Team, error) {
	t, err := scanTeam(db.queryRow(ctx, teamSelect+` WHERE t.id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	q := `SELECT p.id, p.username, p.full_name FROM team_members m JOIN principals p ON p.id = m.principal_id
		WHERE m.team_id = ? AND p.deleted_at IS NULL`
	args := []any{id}
	if scope != nil {
		q += ` AND p.id IN ` + agentScopeSQL
		args = append(args, *scope, *scope)
	}
	rows, err := db.query(ctx, q+` ORDER BY lower(p.username)`, args...)
	if err != nil {
		return nil, err
	}
	t.Agents = []staff.Member{}
	for rows.Next() {
		var m staff.Member
		if err := rows.Scan(&m.ID, &m.Username, &m.FullName); err != nil {
			rows.Close()
			return nil, err
		}
		t.Agents = append(t.Agents, m)
	}
	rows.Close()
	t.QueueIDs, err = db.ids(ctx, `SELECT queue_id FROM team_queues WHERE team_id = ? ORDER BY queue_id`, id)
	return t, err
}

func (db *DB) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ListFilter is a search with sorting and a page.
type ListFilter struct {
	Query  string
	Sort   string
	Desc   bool
	Limit  int
	Offset int
}

func (f ListFilter) page() (int, int) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return limit, max(f.Offset, 0)
}

func (f ListFilter) order(sorts map[string]string, def string) string {
	o, ok := sorts[f.Sort]
	if !ok {
		o = sorts[def]
	}
	if f.Desc {
		return o + " DESC"
	}
	return o + " ASC"
}

// Teams lists teams with their agent counts.
func (db *DB) Teams(ctx context.Context, f ListFilter) ([]*staff.Team, int, error) {
	where, args := "1 = 1", []any{}
	if f.Query != "" {
		pat := likePattern(f.Query)
		where = `(lower(t.name) LIKE ? ESCAPE '\' OR lower(t.description) LIKE ? ESCAPE '\')`
		args = append(args, pat, pat)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT count(*) FROM teams t WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := f.page()
	rows, err := db.query(ctx, fmt.Sprintf(teamSelect+` WHERE %s ORDER BY %s, t.id LIMIT %d OFFSET %d`, where,
		f.order(map[string]string{"name": "lower(t.name)", "created_at": "t.created_at"}, "name"), limit, offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*staff.Team{}
	for rows.Next() {
		t, err := scanTeam(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, rows.Err()
}

// UpdateTeam renames or redescribes a team.
func (db *DB) UpdateTeam(ctx context.Context, id int64, name, description string, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkNameFree(ctx, "teams", name, id); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE teams SET name = ?, description = ?, updated_at = ? WHERE id = ?`, name, description, tx.now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.TeamUpdated, ActorID: actorPtr(actor),
			SubjectType: "team", SubjectID: &id, Data: eventlog.Data(map[string]any{"name": name})})
		return err
	})
}

// DeleteTeams deletes teams (their agents stay); it returns how many went.
func (db *DB) DeleteTeams(ctx context.Context, ids []int64, actor int64) (int, error) {
	n := 0
	err := db.InTx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			res, err := tx.exec(ctx, `DELETE FROM teams WHERE id = ?`, id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			n++
			id := id
			if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.TeamDeleted, ActorID: actorPtr(actor),
				SubjectType: "team", SubjectID: &id}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// AddTeamAgents adds live agents to a team; the event is recorded on the
// agent too, so his history shows it.
func (db *DB) AddTeamAgents(ctx context.Context, teamID int64, agentIDs []int64, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.requireRow(ctx, "teams", teamID); err != nil {
			return err
		}
		for _, a := range agentIDs {
			var n int
			if err := tx.queryRow(ctx, `SELECT count(*) FROM principals WHERE id = ? AND kind = 'agent' AND deleted_at IS NULL`, a).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.Field("agent_ids", "agent.unknown", a)
			}
			res, err := tx.exec(ctx, `INSERT INTO team_members (team_id, principal_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, teamID, a)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			a := a
			if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.TeamMemberAdded, ActorID: actorPtr(actor),
				SubjectType: "principal", SubjectID: &a, Data: eventlog.Data(map[string]any{"team_id": teamID})}); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `UPDATE teams SET updated_at = ? WHERE id = ?`, tx.now, teamID)
		return err
	})
}

// RemoveTeamAgent takes an agent out of a team.
func (db *DB) RemoveTeamAgent(ctx context.Context, teamID, agentID int64, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM team_members WHERE team_id = ? AND principal_id = ?`, teamID, agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.TeamMemberRemoved, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &agentID, Data: eventlog.Data(map[string]any{"team_id": teamID})})
		return err
	})
}

// SetTeamQueues replaces the queues a team is added to.
func (db *DB) SetTeamQueues(ctx context.Context, teamID int64, queueIDs []int64, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.requireRow(ctx, "teams", teamID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM team_queues WHERE team_id = ?`, teamID); err != nil {
			return err
		}
		for _, q := range queueIDs {
			if err := tx.requireRowField(ctx, "queues", q, "queue_ids"); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO team_queues (team_id, queue_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, teamID, q); err != nil {
				return err
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.TeamUpdated, ActorID: actorPtr(actor),
			SubjectType: "team", SubjectID: &teamID, Data: eventlog.Data(map[string]any{"queue_ids": queueIDs})})
		return err
	})
}

func (tx *Tx) requireRow(ctx context.Context, table string, id int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM `+table+` WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	return nil
}

// requireRowField is requireRow reported as a bad value of an input field.
func (tx *Tx) requireRowField(ctx context.Context, table string, id int64, field string) error {
	if err := tx.requireRow(ctx, table, id); apperr.Is(err, apperr.NotFound) {
		return apperr.Field(field, "id.unknown", id)
	} else if err != nil {
		return err
	}
	return nil
}

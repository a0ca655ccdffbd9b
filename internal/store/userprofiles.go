package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

const profileSelect = `SELECT up.id, up.name, up.description, up.rights, up.created_at, up.updated_at,
	(SELECT count(*) FROM principals p WHERE p.user_profile_id = up.id AND p.deleted_at IS NULL) FROM user_profiles up`

func (db *DB) scanProfile(ctx context.Context, r rowScanner) (*staff.UserProfile, error) {
	var p staff.UserProfile
	var rights string
	if err := r.Scan(&p.ID, &p.Name, &p.Description, &rights, &p.CreatedAt, &p.UpdatedAt, &p.UserCount); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(rights), &p.Rights); err != nil {
		return nil, fmt.Errorf("store: profile %d rights: %w", p.ID, err)
	}
	return &p, nil
}

// UserProfile returns a profile with its queues.
func (db *DB) UserProfile(ctx context.Context, id int64) (*staff.UserProfile, error) {
	p, err := db.scanProfile(ctx, db.queryRow(ctx, profileSelect+` WHERE up.id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	if p.QueueIDs, err = db.ids(ctx, `SELECT queue_id FROM user_profile_queues WHERE profile_id = ? ORDER BY queue_id`, id); err != nil {
		return nil, err
	}
	p.ListIDs, err = db.ids(ctx, `SELECT list_id FROM user_profile_lists WHERE profile_id = ? ORDER BY list_id`, id)
	return p, err
}

// UserProfiles lists every profile with its user count.
func (db *DB) UserProfiles(ctx context.Context) ([]*staff.UserProfile, error) {
	rows, err := db.query(ctx, profileSelect+` ORDER BY lower(up.name)`)
	if err != nil {
		return nil, err
	}
	var out []*staff.UserProfile
	for rows.Next() {
		p, err := db.scanProfile(ctx, rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	for _, p := range out {
		if p.QueueIDs, err = db.ids(ctx, `SELECT queue_id FROM user_profile_queues WHERE profile_id = ? ORDER BY queue_id`, p.ID); err != nil {
			return nil, err
		}
		if p.ListIDs, err = db.ids(ctx, `SELECT list_id FROM user_profile_lists WHERE profile_id = ? ORDER BY list_id`, p.ID); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []*staff.UserProfile{}
	}
	return out, rows.Err()
}

// SaveUserProfile creates (ID 0) or replaces a profile with its queues.
func (db *DB) SaveUserProfile(ctx context.Context, p *staff.UserProfile, actor int64) (*staff.UserProfile, error) {
	rights, err := json.Marshal(p.Rights)
	if err != nil {
		return nil, err
	}
	id := p.ID
	err = db.InTx(ctx, func(tx *Tx) error {
		if err := tx.checkNameFree(ctx, "user_profiles", p.Name, id); err != nil {
			return err
		}
		typ := eventlog.UserProfileUpdated
		if id == 0 {
			typ = eventlog.UserProfileCreated
			if err := tx.queryRow(ctx, `INSERT INTO user_profiles (name, description, rights, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?) RETURNING id`, p.Name, p.Description, string(rights), tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
		} else {
			res, err := tx.exec(ctx, `UPDATE user_profiles SET name = ?, description = ?, rights = ?, updated_at = ? WHERE id = ?`,
				p.Name, p.Description, string(rights), tx.now, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.New(apperr.NotFound, "error.not_found")
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM user_profile_queues WHERE profile_id = ?`, id); err != nil {
			return err
		}
		for _, q := range p.QueueIDs {
			if err := tx.requireRowField(ctx, "queues", q, "queue_ids"); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO user_profile_queues (profile_id, queue_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, q); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM user_profile_lists WHERE profile_id = ?`, id); err != nil {
			return err
		}
		for _, l := range p.ListIDs {
			if err := tx.requireRowField(ctx, "lists", l, "list_ids"); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO user_profile_lists (profile_id, list_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, l); err != nil {
				return err
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: typ, ActorID: actorPtr(actor), SubjectType: "user_profile",
			SubjectID: &id, Data: eventlog.Data(map[string]any{"name": p.Name, "rights": p.Rights, "queue_ids": p.QueueIDs,
				"list_ids": p.ListIDs})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.UserProfile(ctx, id)
}

// DeleteUserProfile deletes a profile no user has.
func (db *DB) DeleteUserProfile(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var users int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM principals WHERE user_profile_id = ? AND deleted_at IS NULL`, id).Scan(&users); err != nil {
			return err
		}
		if users > 0 {
			return apperr.New(apperr.Conflict, "user_profile.in_use", users)
		}
		// Deleted members keep no claim on it: restored, they need a new one.
		if _, err := tx.exec(ctx, `UPDATE principals SET user_profile_id = NULL WHERE user_profile_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM user_profiles WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.UserProfileDeleted, ActorID: actorPtr(actor),
			SubjectType: "user_profile", SubjectID: &id})
		return err
	})
}

// UserProfileOf returns the profile id of a user, if any.
func (db *DB) UserProfileOf(ctx context.Context, principalID int64) (*int64, error) {
	var id sql.NullInt64
	if err := db.queryRow(ctx, `SELECT user_profile_id FROM principals WHERE id = ?`, principalID).Scan(&id); err != nil {
		return nil, mapError(err)
	}
	return ptrID(id), nil
}

// UserPatch changes a user (an admin or supervisor).
type UserPatch struct {
	FullName      *string    `json:"full_name"`
	Email         *string    `json:"email"`
	Kind          *auth.Kind `json:"kind"`
	UserProfileID **int64    `json:"-"`
	Disabled      *bool      `json:"disabled"`
}

// UpdateUser changes a user's name, address, role, profile or disabled flag.
func (db *DB) UpdateUser(ctx context.Context, id int64, p UserPatch, fields []string, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		cur, err := scanPrincipal(tx.queryRow(ctx, `SELECT `+principalColumns+` FROM principals
			WHERE id = ? AND kind IN ('admin', 'user') AND deleted_at IS NULL`, id))
		if err != nil {
			return mapError(err)
		}
		var profile sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT user_profile_id FROM principals WHERE id = ?`, id).Scan(&profile); err != nil {
			return err
		}
		if p.FullName != nil {
			cur.FullName = *p.FullName
		}
		if p.Email != nil {
			cur.Email = *p.Email
		}
		if p.Kind != nil {
			cur.Kind = *p.Kind
		}
		if p.Disabled != nil {
			cur.Disabled = *p.Disabled
		}
		if p.UserProfileID != nil {
			profile = sql.NullInt64{}
			if *p.UserProfileID != nil {
				if err := tx.requireRowField(ctx, "user_profiles", **p.UserProfileID, "user_profile_id"); err != nil {
					return err
				}
				profile = sql.NullInt64{Int64: **p.UserProfileID, Valid: true}
			}
		}
		if cur.Kind == auth.KindUser && !profile.Valid {
			return apperr.Field("user_profile_id", "field.required")
		}
		if _, err := tx.exec(ctx, `UPDATE principals SET full_name = ?, email = ?, kind = ?, disabled = ?, user_profile_id = ?,
			updated_at = ? WHERE id = ?`, cur.FullName, cur.Email, string(cur.Kind), cur.Disabled, profile, tx.now, id); err != nil {
			return err
		}
		if cur.Disabled {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE principal_id = ?`, id); err != nil {
				return err
			}
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PrincipalUpdated, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &id, Data: eventlog.Data(map[string]any{"fields": fields})})
		return err
	})
}

// CreateUser stores an admin or supervisor with a profile in one transaction.
func (db *DB) CreateUser(ctx context.Context, p auth.Principal, profileID *int64, actor int64) (*auth.Principal, error) {
	var out *auth.Principal
	err := db.InTx(ctx, func(tx *Tx) error {
		if profileID != nil {
			if err := tx.requireRowField(ctx, "user_profiles", *profileID, "user_profile_id"); err != nil {
				return err
			}
		}
		var err error
		if out, err = tx.CreatePrincipal(ctx, p, actor); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE principals SET user_profile_id = ? WHERE id = ?`, nullID(profileID), out.ID)
		return err
	})
	return out, err
}

// SoftDeletePrincipals moves live principals of the given kinds into
// Deleted Members and ends their sessions; it returns how many moved. With
// scope set, agents outside that user profile's queues are refused.
func (db *DB) SoftDeletePrincipals(ctx context.Context, ids []int64, kinds []auth.Kind, actor int64) (int, error) {
	n := 0
	err := db.InTx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if id == actor {
				return apperr.Field("ids", "delete.self")
			}
			args := []any{tx.now, tx.now, id}
			kindSQL := ""
			for _, k := range kinds {
				args = append(args, string(k))
			}
			kindSQL = " AND kind IN (" + placeholders(len(kinds)) + ")"
			res, err := tx.exec(ctx, `UPDATE principals SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`+kindSQL, args...)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			n++
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE principal_id = ?`, id); err != nil {
				return err
			}
			id := id
			if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PrincipalDeleted, ActorID: actorPtr(actor),
				SubjectType: "principal", SubjectID: &id}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// DeletedPrincipals lists Deleted Members, most recently deleted first.
// With scope set, only agents that user profile may operate on.
func (db *DB) DeletedPrincipals(ctx context.Context, f ListFilter, scope *int64) ([]*auth.Principal, int, error) {
	where, args := "deleted_at IS NOT NULL", []any{}
	if scope != nil {
		where += " AND kind = 'agent' AND id IN " + agentScopeSQL
		args = append(args, *scope, *scope)
	}
	if f.Query != "" {
		pat := likePattern(f.Query)
		where += ` AND (lower(username) LIKE ? ESCAPE '\' OR lower(full_name) LIKE ? ESCAPE '\')`
		args = append(args, pat, pat)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT count(*) FROM principals WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := f.page()
	rows, err := db.query(ctx, fmt.Sprintf(`SELECT `+principalColumns+` FROM principals WHERE %s
		ORDER BY deleted_at DESC, id LIMIT %d OFFSET %d`, where, limit, offset), args...)
	if err != nil {
		return nil, 0, err
	}
	list, err := collectPrincipals(rows)
	if list == nil {
		list = []*auth.Principal{}
	}
	return list, total, err
}

// RestorePrincipal brings a deleted member back.
func (db *DB) RestorePrincipal(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE principals SET deleted_at = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NOT NULL`, tx.now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		err = tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PrincipalRestored, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &id})
		return err
	})
}

// PurgePrincipal deletes a deleted member for good, freeing his username and
// extension. Events about him stay in the log.
func (db *DB) PurgePrincipal(ctx context.Context, id, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var username string
		if err := tx.queryRow(ctx, `SELECT username FROM principals WHERE id = ? AND deleted_at IS NOT NULL`, id).Scan(&username); err != nil {
			return mapError(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM principals WHERE id = ?`, id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PrincipalPurged, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &id, Data: eventlog.Data(map[string]any{"username": username})})
		return err
	})
}

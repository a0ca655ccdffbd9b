package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

const agentSelect = `SELECT ` + principalColumnsP + `, a.alias, a.typology, a.phone, a.extension, a.description,
	a.login_in_pause, a.mask_sensitive_data, a.perm_messenger, a.perm_messenger_sound, a.perm_download_attachments,
	a.perm_download_transcripts, a.sidebar, a.client_log_enabled, a.client_log_level, av.updated_at
	FROM principals p JOIN agents a ON a.principal_id = p.id LEFT JOIN avatars av ON av.principal_id = p.id`

const principalColumnsP = `p.id, p.kind, p.username, p.full_name, p.email, p.password_hash, p.password_changed_at,
	p.must_change_password, p.failed_logins, p.locked_at, p.lock_reason, p.disabled, p.last_login_at, p.deleted_at,
	p.created_at, p.updated_at`

func scanAgent(r rowScanner) (*staff.Agent, error) {
	var a staff.Agent
	var kind, sidebar string
	var pwChanged, locked, lastLogin, deleted, avatar sql.NullTime
	err := r.Scan(&a.ID, &kind, &a.Username, &a.FullName, &a.Email, &a.PasswordHash, &pwChanged,
		&a.MustChangePassword, &a.FailedLogins, &locked, &a.LockReason, &a.Disabled, &lastLogin, &deleted,
		&a.CreatedAt, &a.UpdatedAt,
		&a.Alias, &a.Typology, &a.Phone, &a.Extension, &a.Description, &a.LoginInPause, &a.MaskSensitiveData,
		&a.Permissions.Messenger, &a.Permissions.MessengerSound, &a.Permissions.DownloadAttachments,
		&a.Permissions.DownloadTranscripts, &sidebar, &a.ClientLog.Enabled, &a.ClientLog.Level, &avatar)
	if err != nil {
		return nil, err
	}
	a.Kind = auth.Kind(kind)
	a.PasswordChangedAt, a.LockedAt, a.LastLoginAt, a.DeletedAt = ptrTime(pwChanged), ptrTime(locked), ptrTime(lastLogin), ptrTime(deleted)
	a.AvatarUpdatedAt = ptrTime(avatar)
	if err := json.Unmarshal([]byte(sidebar), &a.Permissions.Sidebar); err != nil {
		return nil, fmt.Errorf("store: agent %d sidebar: %w", a.ID, err)
	}
	if a.Permissions.Sidebar == nil {
		a.Permissions.Sidebar = []string{}
	}
	return &a, nil
}

// CreateAgent stores a new agent with default settings; an empty extension
// gets the next free internal number.
func (db *DB) CreateAgent(ctx context.Context, a *staff.Agent, actor int64) (*staff.Agent, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		if a.Extension == "" {
			ext, err := tx.nextExtension(ctx)
			if err != nil {
				return err
			}
			a.Extension = ext
		} else if err := tx.checkExtensionFree(ctx, a.Extension, 0); err != nil {
			return err
		}
		p, err := tx.CreatePrincipal(ctx, a.Principal, actor)
		if err != nil {
			return err
		}
		id = p.ID
		if err := tx.writeAgent(ctx, id, a, true); err != nil {
			return err
		}
		return tx.writeAgentChannels(ctx, id, a.Channels)
	})
	if err != nil {
		return nil, err
	}
	return db.Agent(ctx, id)
}

// nextExtension is one more than the highest numeric extension, from 1001.
// On PostgreSQL, concurrent creations take turns (a transaction-scoped
// advisory lock), or two would read the same highest one; SQLite's writers
// are serialised already.
func (tx *Tx) nextExtension(ctx context.Context) (string, error) {
	if tx.db.dialect == Postgres {
		if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('agents.extension'))`); err != nil {
			return "", err
		}
	}
	rows, err := tx.query(ctx, `SELECT extension FROM agents`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	highest := 1000
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		if n, err := strconv.Atoi(s); err == nil && n > highest && n < 1_000_000_000 {
			highest = n
		}
	}
	return strconv.Itoa(highest + 1), rows.Err()
}

func (tx *Tx) checkExtensionFree(ctx context.Context, ext string, except int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM agents WHERE extension = ? AND principal_id <> ?`, ext, except).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &apperr.Error{Code: apperr.Conflict, Message: apperr.Message{Key: "error.conflict"},
			Fields: map[string]apperr.Message{"extension": {Key: "extension.taken"}}}
	}
	return nil
}

func (tx *Tx) writeAgent(ctx context.Context, id int64, a *staff.Agent, insert bool) error {
	sidebar, err := json.Marshal(a.Permissions.Sidebar)
	if err != nil {
		return err
	}
	args := []any{a.Alias, a.Typology, a.Phone, a.Extension, a.Description, a.LoginInPause, a.MaskSensitiveData,
		a.Permissions.Messenger, a.Permissions.MessengerSound, a.Permissions.DownloadAttachments,
		a.Permissions.DownloadTranscripts, string(sidebar), a.ClientLog.Enabled, a.ClientLog.Level, id}
	q := `UPDATE agents SET alias = ?, typology = ?, phone = ?, extension = ?, description = ?, login_in_pause = ?,
		mask_sensitive_data = ?, perm_messenger = ?, perm_messenger_sound = ?, perm_download_attachments = ?,
		perm_download_transcripts = ?, sidebar = ?, client_log_enabled = ?, client_log_level = ? WHERE principal_id = ?`
	if insert {
		q = `INSERT INTO agents (alias, typology, phone, extension, description, login_in_pause, mask_sensitive_data,
			perm_messenger, perm_messenger_sound, perm_download_attachments, perm_download_transcripts, sidebar,
			client_log_enabled, client_log_level, principal_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	}
	_, err = tx.exec(ctx, q, args...)
	return err
}

func (tx *Tx) writeAgentChannels(ctx context.Context, id int64, chans map[staff.Channel]staff.ChannelSettings) error {
	for _, c := range staff.AgentChannels {
		s := chans[c]
		if _, err := tx.exec(ctx, `INSERT INTO agent_channels (principal_id, channel, capacity, auto_answer, auto_answer_delay, advanced_search)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (principal_id, channel) DO UPDATE SET capacity = excluded.capacity, auto_answer = excluded.auto_answer,
				auto_answer_delay = excluded.auto_answer_delay, advanced_search = excluded.advanced_search`,
			id, string(c), s.Capacity, s.AutoAnswer, s.AutoAnswerDelay, s.AdvancedSearch); err != nil {
			return err
		}
	}
	return nil
}

// Agent returns an agent with his channels, teams and queues (deleted ones too).
func (db *DB) Agent(ctx context.Context, id int64) (*staff.Agent, error) {
	a, err := scanAgent(db.queryRow(ctx, agentSelect+` WHERE p.id = ?`, id))
	if err != nil {
		return nil, mapError(err)
	}
	if err := db.loadAgentDetails(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (db *DB) loadAgentDetails(ctx context.Context, a *staff.Agent) error {
	a.Channels = map[staff.Channel]staff.ChannelSettings{}
	for _, c := range staff.AgentChannels {
		a.Channels[c] = staff.ChannelSettings{}
	}
	rows, err := db.query(ctx, `SELECT channel, capacity, auto_answer, auto_answer_delay, advanced_search
		FROM agent_channels WHERE principal_id = ?`, a.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c string
		var s staff.ChannelSettings
		if err := rows.Scan(&c, &s.Capacity, &s.AutoAnswer, &s.AutoAnswerDelay, &s.AdvancedSearch); err != nil {
			rows.Close()
			return err
		}
		a.Channels[staff.Channel(c)] = s
	}
	rows.Close()
	a.Teams = []staff.Ref{}
	rows, err = db.query(ctx, `SELECT t.id, t.name FROM teams t JOIN team_members m ON m.team_id = t.id
		WHERE m.principal_id = ? ORDER BY lower(t.name)`, a.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r staff.Ref
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			rows.Close()
			return err
		}
		a.Teams = append(a.Teams, r)
	}
	rows.Close()
	a.Queues = []staff.QueueRef{}
	rows, err = db.query(ctx, `SELECT q.id, q.name, q.channel, 'direct' FROM queues q JOIN queue_members m ON m.queue_id = q.id
		WHERE m.principal_id = ?
		UNION
		SELECT q.id, q.name, q.channel, 'team' FROM queues q JOIN team_queues tq ON tq.queue_id = q.id
		JOIN team_members tm ON tm.team_id = tq.team_id
		WHERE tm.principal_id = ? AND q.id NOT IN (SELECT queue_id FROM queue_members WHERE principal_id = ?)
		ORDER BY 2`, a.ID, a.ID, a.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r staff.QueueRef
		var ch string
		if err := rows.Scan(&r.ID, &r.Name, &ch, &r.Via); err != nil {
			return err
		}
		r.Channel = staff.Channel(ch)
		a.Queues = append(a.Queues, r)
	}
	return rows.Err()
}

// AgentFilter selects agents for the list.
type AgentFilter struct {
	Query string
	Sort  string // username, full_name, extension, created_at, last_login_at
	Desc  bool
	Limit int
	// Offset skips rows; Deleted lists deleted members instead of live ones.
	Offset int
	// ScopeProfileID, when set, keeps only agents in the queues that user
	// profile enables (directly or through a team).
	ScopeProfileID *int64
}

var agentSorts = map[string]string{"username": "lower(p.username)", "full_name": "lower(p.full_name)",
	"extension": "a.extension", "created_at": "p.created_at", "last_login_at": "p.last_login_at"}

// agentScopeSQL selects the ids of agents a user profile may operate on.
const agentScopeSQL = `(SELECT qm.principal_id FROM queue_members qm
		JOIN user_profile_queues upq ON upq.queue_id = qm.queue_id WHERE upq.profile_id = ?
	UNION
	SELECT tm.principal_id FROM team_members tm JOIN team_queues tq ON tq.team_id = tm.team_id
		JOIN user_profile_queues upq ON upq.queue_id = tq.queue_id WHERE upq.profile_id = ?)`

// Agents lists live agents with the total count.
func (db *DB) Agents(ctx context.Context, f AgentFilter) ([]*staff.Agent, int, error) {
	where := "p.deleted_at IS NULL AND p.kind = 'agent'"
	var args []any
	if f.Query != "" {
		pat := likePattern(f.Query)
		where += ` AND (lower(p.username) LIKE ? ESCAPE '\' OR lower(p.full_name) LIKE ? ESCAPE '\'
			OR lower(p.email) LIKE ? ESCAPE '\' OR lower(a.alias) LIKE ? ESCAPE '\' OR a.extension LIKE ? ESCAPE '\')`
		args = append(args, pat, pat, pat, pat, pat)
	}
	if f.ScopeProfileID != nil {
		where += " AND p.id IN " + agentScopeSQL
		args = append(args, *f.ScopeProfileID, *f.ScopeProfileID)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT count(*) FROM principals p JOIN agents a ON a.principal_id = p.id WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count agents: %w", err)
	}
	order, ok := agentSorts[f.Sort]
	if !ok {
		order = agentSorts["username"]
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := db.query(ctx, fmt.Sprintf(agentSelect+` WHERE %s ORDER BY %s %s, p.id LIMIT %d OFFSET %d`,
		where, order, dir, limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: agents: %w", err)
	}
	defer rows.Close()
	out := []*staff.Agent{}
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// AgentsByIDs returns live agents in id order, for exports.
func (db *DB) AgentsByIDs(ctx context.Context, ids []int64) ([]*staff.Agent, error) {
	out := []*staff.Agent{}
	for _, id := range ids {
		a, err := db.Agent(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if a.DeletedAt == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// AgentInScope reports whether a user profile may operate on an agent.
func (db *DB) AgentInScope(ctx context.Context, agentID, profileID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM principals WHERE id = ? AND id IN `+agentScopeSQL,
		agentID, profileID, profileID).Scan(&n)
	return n > 0, err
}

// AgentIDsInScope lists the agents a user profile may operate on.
func (db *DB) AgentIDsInScope(ctx context.Context, profileID int64) ([]int64, error) {
	return db.ids(ctx, `SELECT DISTINCT principal_id FROM `+agentScopeSQL+` AS scope`, profileID, profileID)
}

// UpdateAgent applies a patch and records which fields changed.
func (db *DB) UpdateAgent(ctx context.Context, id int64, patch *staff.AgentPatch, actor int64) (*staff.Agent, error) {
	a, err := db.Agent(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.DeletedAt != nil {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	wasLogging := a.ClientLog
	patch.Apply(a)
	err = db.InTx(ctx, func(tx *Tx) error {
		if patch.Extension != nil {
			if err := tx.checkExtensionFree(ctx, a.Extension, id); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `UPDATE principals SET full_name = ?, email = ?, disabled = ?, updated_at = ? WHERE id = ?`,
			a.FullName, a.Email, a.Disabled, tx.now, id); err != nil {
			return err
		}
		if err := tx.writeAgent(ctx, id, a, false); err != nil {
			return err
		}
		if len(patch.Channels) > 0 {
			if err := tx.writeAgentChannels(ctx, id, a.Channels); err != nil {
				return err
			}
		}
		if patch.Disabled != nil && *patch.Disabled {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE principal_id = ?`, id); err != nil {
				return err
			}
		}
		if err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.PrincipalUpdated, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &id, Data: eventlog.Data(map[string]any{"fields": patch.ChangedFields()})}); err != nil {
			return err
		}
		if patch.ClientLog != nil && a.ClientLog != wasLogging {
			err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.ClientLogChanged, ActorID: actorPtr(actor),
				SubjectType: "principal", SubjectID: &id, Data: eventlog.Data(a.ClientLog)})
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.Agent(ctx, id)
}

// SetAgentQueues replaces an agent's direct queue memberships.
func (db *DB) SetAgentQueues(ctx context.Context, id int64, queueIDs []int64, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM queue_members WHERE principal_id = ?`, id); err != nil {
			return err
		}
		for _, q := range queueIDs {
			if _, err := tx.exec(ctx, `INSERT INTO queue_members (queue_id, principal_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, q, id); err != nil {
				return fmt.Errorf("store: queue %d: %w", q, err)
			}
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.QueueMembershipChanged, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &id, Data: eventlog.Data(map[string]any{"queue_ids": queueIDs})})
		return err
	})
}

// PutAvatar stores an agent's picture.
func (db *DB) PutAvatar(ctx context.Context, id int64, av *staff.Avatar, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO avatars (principal_id, content_type, image, thumbnail, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (principal_id) DO UPDATE SET content_type = excluded.content_type, image = excluded.image,
				thumbnail = excluded.thumbnail, updated_at = excluded.updated_at`,
			id, av.ContentType, av.Image, av.Thumbnail, tx.now); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.AvatarUpdated, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &id, Data: eventlog.Data(map[string]any{"bytes": len(av.Image)})})
		return err
	})
}

// DeleteAvatar removes an agent's picture.
func (db *DB) DeleteAvatar(ctx context.Context, id int64, actor int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM avatars WHERE principal_id = ?`, id); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.AvatarUpdated, ActorID: actorPtr(actor),
			SubjectType: "principal", SubjectID: &id, Data: eventlog.Data(map[string]any{"removed": true})})
		return err
	})
}

// Avatar returns a stored picture or its thumbnail.
func (db *DB) Avatar(ctx context.Context, id int64, thumb bool) (contentType string, data []byte, updated time.Time, err error) {
	col := "image"
	if thumb {
		col = "thumbnail"
	}
	err = db.queryRow(ctx, `SELECT content_type, `+col+`, updated_at FROM avatars WHERE principal_id = ?`, id).
		Scan(&contentType, &data, &updated)
	return contentType, data, updated, mapError(err)
}

// ClientLogLine is one line the desktop sent.
type ClientLogLine struct {
	At      time.Time `json:"at"`
	Level   string    `json:"level"`
	Message string    `json:"message"`
}

// AppendClientLogs stores lines from an agent's desktop.
func (db *DB) AppendClientLogs(ctx context.Context, id int64, lines []ClientLogLine) error {
	return db.InTx(ctx, func(tx *Tx) error {
		for _, l := range lines {
			if _, err := tx.exec(ctx, `INSERT INTO client_logs (principal_id, at, level, message) VALUES (?, ?, ?, ?)`,
				id, l.At.UTC(), l.Level, l.Message); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClientLogs returns an agent's latest lines, newest first.
func (db *DB) ClientLogs(ctx context.Context, id int64, limit int) ([]ClientLogLine, error) {
	rows, err := db.query(ctx, fmt.Sprintf(`SELECT at, level, message FROM client_logs WHERE principal_id = ?
		ORDER BY id DESC LIMIT %d`, limit), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ClientLogLine{}
	for rows.Next() {
		var l ClientLogLine
		if err := rows.Scan(&l.At, &l.Level, &l.Message); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// HistoryItem is an audit event with the actor's name.
type HistoryItem struct {
	eventlog.Event
	Actor *staff.Member `json:"actor"`
}

// History lists the events about a principal, newest first.
func (db *DB) History(ctx context.Context, id int64, limit int) ([]HistoryItem, error) {
	rows, err := db.query(ctx, fmt.Sprintf(`SELECT e.id, e.at, e.type, e.actor_id, e.data, p.username, p.full_name
		FROM events e LEFT JOIN principals p ON p.id = e.actor_id
		WHERE e.subject_type = 'principal' AND e.subject_id = ? ORDER BY e.id DESC LIMIT %d`, limit), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []HistoryItem{}
	for rows.Next() {
		var h HistoryItem
		var typ, data string
		var actor sql.NullInt64
		var user, name sql.NullString
		if err := rows.Scan(&h.ID, &h.At, &typ, &actor, &data, &user, &name); err != nil {
			return nil, err
		}
		h.Type, h.ActorID, h.Data = eventlog.Type(typ), ptrID(actor), json.RawMessage(data)
		h.SubjectType, h.SubjectID = "principal", &id
		if actor.Valid && user.Valid {
			h.Actor = &staff.Member{ID: actor.Int64, Username: user.String, FullName: name.String}
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

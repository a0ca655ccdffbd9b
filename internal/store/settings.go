package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Setting reads a JSON setting into v; it reports false when it is not set.
func (db *DB) Setting(ctx context.Context, key string, v any) (bool, error) {
	var raw string
	err := db.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if err != nil {
		if apperr.Is(mapError(err), apperr.NotFound) {
			return false, nil
		}
		return false, fmt.Errorf("store: setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("store: setting %s: %w", key, err)
	}
	return true, nil
}

// PutSetting stores a JSON setting and records the change.
func (db *DB) PutSetting(ctx context.Context, key string, v any, actor int64) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: setting %s: %w", key, err)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, string(b), tx.now); err != nil {
			return err
		}
		err := tx.appendEvent(ctx, eventlog.Event{Type: eventlog.SettingChanged, ActorID: actorPtr(actor),
			SubjectType: "setting", Data: eventlog.Data(map[string]any{"key": key, "value": json.RawMessage(b)})})
		return err
	})
}

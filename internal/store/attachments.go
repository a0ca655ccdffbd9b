package store

import (
	"context"
	"database/sql"

	"github.com/switchboard-cc/switchboard/internal/conversation"
)

// Attachment describes a file of a conversation (its content is read
// apart, by Attachment, only when someone downloads it).
type Attachment struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// NewAttachment is a file to store with a message. The caller has checked
// it (conversation.CheckAttachment): the content type was read from the
// data and is allowed, the size is within the limit. The store cleans the
// name itself (conversation.CleanAttachmentName), so no caller can forget.
type NewAttachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// insertAttachment stores f for an interaction and returns its id (nil
// when there is no file), inside the transaction of its message so a
// refused message leaves no file behind.
func (tx *Tx) insertAttachment(ctx context.Context, interactionID int64, f *NewAttachment) (*int64, error) {
	if f == nil {
		return nil, nil
	}
	var id int64
	if err := tx.queryRow(ctx, `INSERT INTO attachments (interaction_id, name, content_type, size, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, interactionID, conversation.CleanAttachmentName(f.Name, f.ContentType), f.ContentType, int64(len(f.Data)), f.Data, tx.now).Scan(&id); err != nil {
		return nil, err
	}
	return &id, nil
}

// Attachment reads a file for download: its description, the interaction
// it belongs to (whoever may see that interaction may see the file) and
// its content. An unknown id is not_found.
// AttachmentInteraction tells which interaction a file belongs to, without
// reading the file: rights are checked before the bytes are loaded.
func (db *DB) AttachmentInteraction(ctx context.Context, id int64) (int64, error) {
	var interactionID int64
	err := db.queryRow(ctx, `SELECT interaction_id FROM attachments WHERE id = ?`, id).Scan(&interactionID)
	if err == sql.ErrNoRows {
		return 0, mapError(err)
	}
	return interactionID, err
}

func (db *DB) Attachment(ctx context.Context, id int64) (a *Attachment, interactionID int64, data []byte, err error) {
	a = &Attachment{ID: id}
	err = db.queryRow(ctx, `SELECT interaction_id, name, content_type, size, data FROM attachments WHERE id = ?`, id).
		Scan(&interactionID, &a.Name, &a.ContentType, &a.Size, &data)
	if err == sql.ErrNoRows {
		return nil, 0, nil, mapError(err)
	}
	if err != nil {
		return nil, 0, nil, err
	}
	return a, interactionID, data, nil
}

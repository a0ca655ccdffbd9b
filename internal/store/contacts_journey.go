package store

import (
	"context"
	"database/sql"
	"time"
)

// The customer journey: every interaction of a contact, across channels,
// in time order, each with its channel, status, disposition and agent.

// JourneyEntry is one interaction of a journey. CanOpen says whether the
// viewer may open it (the API sets it by his interaction scope).
type JourneyEntry struct {
	*Interaction
	Account     *AccountRef `json:"account"`
	Agent       *Ref        `json:"agent"` // who handled it: its owner, else the first agent; null when unmanaged
	Disposition *Ref        `json:"disposition"`
	Tags        []TagRef    `json:"tags"`
	CanOpen     bool        `json:"can_open"`
}

// JourneyPage is one page of a journey; NextCursor is nil on the last.
type JourneyPage struct {
	Items      []*JourneyEntry `json:"items"`
	NextCursor *string         `json:"next_cursor"`
}

var journeySort = listSort{"i.created_at", 't'}

// Journey returns a page of a contact's interactions, oldest first (desc:
// newest first).
func (db *DB) Journey(ctx context.Context, contactID int64, desc bool, limit int, after string) (*JourneyPage, error) {
	if limit <= 0 {
		limit = 50
	}
	where, args := "i.contact_id = ?", []any{contactID}
	dir, cmp := "ASC", ">"
	if desc {
		dir, cmp = "DESC", "<"
	}
	if after != "" {
		keyArgs, err := decodeCursor(after, journeySort, "journey", desc)
		if err != nil {
			return nil, err
		}
		where += " AND (i.created_at, i.id) " + cmp + " (?, ?)"
		args = append(args, keyArgs...)
	}
	rows, err := db.query(ctx, `SELECT `+interactionColumns+`, a.id, a.name, a.channel, o.id, o.full_name, o.username,
		d.id, d.name FROM interactions i
		LEFT JOIN accounts a ON a.id = i.account_id
		LEFT JOIN principals o ON o.id = coalesce(i.owner_id, i.first_agent_id)
		LEFT JOIN dispositions d ON d.id = i.disposition_id
		WHERE `+where+` ORDER BY i.created_at `+dir+`, i.id `+dir+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := &JourneyPage{Items: []*JourneyEntry{}}
	for rows.Next() {
		var e JourneyEntry
		var aID, oID, dID sql.NullInt64
		var aName, aChannel, oFull, oUser, dName sql.NullString
		base, err := scanInteraction(withExtra{r: rows, extra: []any{&aID, &aName, &aChannel, &oID, &oFull, &oUser, &dID, &dName}})
		if err != nil {
			return nil, err
		}
		if len(page.Items) == limit {
			last := page.Items[len(page.Items)-1]
			next := cursor{Sort: "journey", Desc: desc, Key: last.CreatedAt.UTC().Format(time.RFC3339Nano), ID: last.ID}.encode()
			page.NextCursor = &next
			break
		}
		e.Interaction, e.Tags = base, []TagRef{}
		if aID.Valid {
			e.Account = &AccountRef{ID: aID.Int64, Name: aName.String, Channel: aChannel.String}
		}
		if oID.Valid {
			e.Agent = &Ref{ID: oID.Int64, Name: displayName(oFull.String, oUser.String)}
		}
		if dID.Valid {
			e.Disposition = &Ref{ID: dID.Int64, Name: dName.String}
		}
		page.Items = append(page.Items, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close() // free the connection for the tags
	return page, db.journeyTags(ctx, page.Items)
}

func (db *DB) journeyTags(ctx context.Context, items []*JourneyEntry) error {
	if len(items) == 0 {
		return nil
	}
	byID := map[int64]*JourneyEntry{}
	ids := make([]any, len(items))
	for n, e := range items {
		byID[e.ID], ids[n] = e, e.ID
	}
	rows, err := db.query(ctx, `SELECT it.interaction_id, t.id, t.name, t.colour FROM interaction_tags it
		JOIN tags t ON t.id = it.tag_id WHERE it.interaction_id IN (`+placeholders(len(ids))+`) ORDER BY lower(t.name), t.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t TagRef
		if err := rows.Scan(&id, &t.ID, &t.Name, &t.Colour); err != nil {
			return err
		}
		byID[id].Tags = append(byID[id].Tags, t)
	}
	return rows.Err()
}

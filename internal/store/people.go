package store

import "context"

// Person is a member of staff as a conversation names him.
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"` // agent, user or admin
}

// InteractionPeople names the staff an interaction's conversation
// mentions: the authors of its messages and internal notes, its owner and
// its first agent, by id.
func (db *DB) InteractionPeople(ctx context.Context, interactionID int64) ([]Person, error) {
	rows, err := db.query(ctx, `SELECT p.id, p.full_name, p.username, p.kind FROM principals p WHERE p.id IN (
		SELECT author_id FROM messages WHERE interaction_id = ? AND author_id IS NOT NULL
		UNION SELECT author_id FROM interaction_notes WHERE interaction_id = ? AND author_id IS NOT NULL
		UNION SELECT owner_id FROM interactions WHERE id = ? AND owner_id IS NOT NULL
		UNION SELECT first_agent_id FROM interactions WHERE id = ? AND first_agent_id IS NOT NULL)
		ORDER BY p.id`, interactionID, interactionID, interactionID, interactionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Person{}
	for rows.Next() {
		var p Person
		var full, user string
		if err := rows.Scan(&p.ID, &full, &user, &p.Kind); err != nil {
			return nil, err
		}
		p.Name = displayName(full, user)
		out = append(out, p)
	}
	return out, rows.Err()
}

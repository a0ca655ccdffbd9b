package store

import "context"

// ListQueryPlan is SQLite's plan for a list page's query (EXPLAIN QUERY
// PLAN), one line per step.
func (db *DB) ListQueryPlan(ctx context.Context, f InteractionFilter) ([]string, error) {
	lq, err := db.listQuery(f)
	if err != nil {
		return nil, err
	}
	return db.queryPlan(ctx, lq.sql, lq.args)
}

// ContactQueryPlan is SQLite's plan for a page of contacts (one query:
// not a PostgreSQL quick search).
func (db *DB) ContactQueryPlan(ctx context.Context, f ContactFilter) ([]string, error) {
	var err error
	if f.fieldIDs, err = db.conditionFields(ctx, f); err != nil {
		return nil, err
	}
	q, args, _, _, _, err := db.contactQuery(f)
	if err != nil {
		return nil, err
	}
	return db.queryPlan(ctx, q, args)
}

func (db *DB) queryPlan(ctx context.Context, q string, args []any) ([]string, error) {
	rows, err := db.query(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}

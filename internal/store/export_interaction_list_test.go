package store

import "context"

// ListQueryPlan is SQLite's plan for a list page's query (EXPLAIN QUERY
// PLAN), one line per step.
func (db *DB) ListQueryPlan(ctx context.Context, f InteractionFilter) ([]string, error) {
	lq, err := db.listQuery(f)
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, "EXPLAIN QUERY PLAN "+lq.sql, lq.args...)
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

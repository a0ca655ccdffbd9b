package store

// SetSearchWindow makes a PostgreSQL quick search look at n contacts
// first, so a test sees its windows with a few dozen contacts.
func (db *DB) SetSearchWindow(n int64) { db.searchWindow = n }

package store

import "testing"

func TestRebindNumbersPlaceholdersForPostgres(t *testing.T) {
	pg := &DB{dialect: Postgres}
	if got := pg.rebind("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"); got != "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)" {
		t.Fatalf("postgres: %s", got)
	}
	lite := &DB{dialect: SQLite}
	if got := lite.rebind("b = ?"); got != "b = ?" {
		t.Fatalf("sqlite: %s", got)
	}
}

func TestLikePatternEscapesWildcards(t *testing.T) {
	if got := likePattern(`A_b%c\`); got != `%a\_b\%c\\%` {
		t.Fatalf("got %s", got)
	}
}

package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// suite runs a store test on SQLite and on PostgreSQL with a fake clock.
func suite(t *testing.T, fn func(t *testing.T, db *store.DB, clk *clock.Fake)) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		clk := clock.NewFake(t0)
		fn(t, storetest.Open(t, d, clk), clk)
	})
}

func mustPrincipal(t *testing.T, db *store.DB, kind auth.Kind, username, email string) *auth.Principal {
	t.Helper()
	p, err := db.CreatePrincipal(context.Background(), auth.Principal{Kind: kind, Username: username,
		FullName: "Full " + username, Email: email, PasswordHash: "x"}, 0)
	if err != nil {
		t.Fatalf("create %s: %v", username, err)
	}
	return p
}

func TestMigrateTwiceIsHarmless(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		v, err := db.MigrationVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("version %d, %v", v, err)
		}
	})
}

func TestUsernameIsUniqueIgnoringCase(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		mustPrincipal(t, db, auth.KindAgent, "Mario.Rossi", "")
		_, err := db.CreatePrincipal(context.Background(), auth.Principal{Kind: auth.KindUser, Username: "mario.rossi"}, 0)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Conflict || ae.Fields["username"].Key != "username.taken" {
			t.Fatalf("want conflict on username, got %v", err)
		}
	})
}

func TestCreatePrincipalStampsTimesAndWritesEventInSameTransaction(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		p := mustPrincipal(t, db, auth.KindAgent, "giulia", "g@example.com")
		if !p.CreatedAt.Equal(t0) || p.PasswordChangedAt == nil || !p.PasswordChangedAt.Equal(t0) {
			t.Fatalf("times: created %v, password %v", p.CreatedAt, p.PasswordChangedAt)
		}
		evs, err := db.Events(ctx, eventlog.Filter{SubjectType: "principal", SubjectID: p.ID})
		if err != nil || len(evs) != 1 || evs[0].Type != eventlog.PrincipalCreated || !evs[0].At.Equal(t0) {
			t.Fatalf("events %+v, %v", evs, err)
		}
		// A failed creation leaves neither a row nor an event.
		before, _ := db.Events(ctx, eventlog.Filter{})
		if _, err := db.CreatePrincipal(ctx, auth.Principal{Kind: auth.KindAgent, Username: "GIULIA"}, 0); err == nil {
			t.Fatal("duplicate accepted")
		}
		after, _ := db.Events(ctx, eventlog.Filter{})
		if len(after) != len(before) {
			t.Fatalf("failed create wrote %d events", len(after)-len(before))
		}
	})
}

func TestEventsAreAppendOnly(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		id, err := db.AppendEvent(ctx, eventlog.Event{Type: "test.happened", SubjectType: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(ctx, `UPDATE events SET type = 'forged' WHERE id = ?`, id); err == nil ||
			!strings.Contains(err.Error(), "append-only") {
			t.Fatalf("update allowed: %v", err)
		}
		if err := db.Exec(ctx, `DELETE FROM events WHERE id = ?`, id); err == nil {
			t.Fatal("delete allowed")
		}
		evs, _ := db.Events(ctx, eventlog.Filter{SubjectType: "test"})
		if len(evs) != 1 || evs[0].Type != "test.happened" || string(evs[0].Data) != "{}" {
			t.Fatalf("events %+v", evs)
		}
	})
}

func TestEventsFilterByTypeAndAfterID(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		var ids []int64
		for _, typ := range []eventlog.Type{"a.x", "b.y", "a.x"} {
			id, err := db.AppendEvent(ctx, eventlog.Event{Type: typ, Data: eventlog.Data(map[string]int{"n": len(ids)})})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		evs, err := db.Events(ctx, eventlog.Filter{Types: []eventlog.Type{"a.x"}, AfterID: ids[0]})
		if err != nil || len(evs) != 1 || evs[0].ID != ids[2] {
			t.Fatalf("events %+v, %v", evs, err)
		}
		var data struct{ N int }
		if err := json.Unmarshal(evs[0].Data, &data); err != nil || data.N != 2 {
			t.Fatalf("data %s: %v", evs[0].Data, err)
		}
	})
}

func TestPrincipalsSearchPagingAndKinds(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		for _, u := range []string{"anna", "bruno", "carla_x", "dario"} {
			mustPrincipal(t, db, auth.KindAgent, u, u+"@example.com")
		}
		mustPrincipal(t, db, auth.KindUser, "supervisor", "")
		ctx := context.Background()
		list, total, err := db.Principals(ctx, store.PrincipalFilter{Kinds: []auth.Kind{auth.KindAgent}, Limit: 2, Offset: 1})
		if err != nil || total != 4 || len(list) != 2 || list[0].Username != "bruno" {
			t.Fatalf("page: %v %d %v", names(list), total, err)
		}
		// The underscore the user typed is a literal, not a LIKE wildcard.
		list, total, _ = db.Principals(ctx, store.PrincipalFilter{Query: "A_X"})
		if total != 1 || list[0].Username != "carla_x" {
			t.Fatalf("search: %v", names(list))
		}
		list, _, _ = db.Principals(ctx, store.PrincipalFilter{Query: "DARIO@EXAMPLE"})
		if len(list) != 1 {
			t.Fatalf("email search: %v", names(list))
		}
	})
}

func names(list []*auth.Principal) []string {
	var out []string
	for _, p := range list {
		out = append(out, p.Username)
	}
	return out
}

func TestLoginFailuresLockAtThresholdAndUnlockClears(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		p := mustPrincipal(t, db, auth.KindAgent, "luca", "")
		for i := 1; i <= 3; i++ {
			locked, err := db.RecordLoginFailure(ctx, p.ID, 3, "10.0.0.1")
			if err != nil || locked != (i == 3) {
				t.Fatalf("failure %d: locked=%v err=%v", i, locked, err)
			}
		}
		got, _ := db.Principal(ctx, p.ID)
		if !got.Locked() || got.LockReason != "3 failed logins" {
			t.Fatalf("not locked: %+v", got)
		}
		if err := db.Unlock(ctx, p.ID, 0); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Principal(ctx, p.ID)
		if got.Locked() || got.FailedLogins != 0 || got.LockReason != "" {
			t.Fatalf("still locked: %+v", got)
		}
		evs, _ := db.Events(ctx, eventlog.Filter{SubjectType: "principal", SubjectID: p.ID,
			Types: []eventlog.Type{eventlog.PrincipalLocked, eventlog.PrincipalUnlocked}})
		if len(evs) != 2 {
			t.Fatalf("lock events: %+v", evs)
		}
		// Threshold 0 (suite off) never locks.
		for i := 0; i < 5; i++ {
			if locked, _ := db.RecordLoginFailure(ctx, p.ID, 0, ""); locked {
				t.Fatal("locked with threshold 0")
			}
		}
	})
}

func TestSessionsExpireAndEndEverywhere(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		p := mustPrincipal(t, db, auth.KindAgent, "sofia", "")
		for _, h := range []string{"h1", "h2"} {
			if _, err := db.CreateSession(ctx, auth.Session{TokenHash: h, PrincipalID: p.ID, CSRFToken: "c",
				ExpiresAt: t0.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		sec := auth.DefaultSecuritySettings()
		if s, who, err := db.SessionByTokenHash(ctx, "h1", t0.Add(59*time.Minute), auth.SecuritySettingsKey, &sec); err != nil ||
			s.PrincipalID != p.ID || who.ID != p.ID || who.Username != "sofia" {
			t.Fatalf("live session: %v %v %v", s, who, err)
		}
		if _, _, err := db.SessionByTokenHash(ctx, "h1", t0.Add(time.Hour), auth.SecuritySettingsKey, &sec); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("expired session found: %v", err)
		}
		got, _ := db.Principal(ctx, p.ID)
		if got.LastLoginAt == nil || !got.LastLoginAt.Equal(t0) {
			t.Fatalf("last login %v", got.LastLoginAt)
		}
		if err := db.DeletePrincipalSessions(ctx, p.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByTokenHash(ctx, "h2", t0, auth.SecuritySettingsKey, &sec); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("session survived logout everywhere: %v", err)
		}
	})
}

func TestPasswordResetIsSingleUseAndExpires(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		p := mustPrincipal(t, db, auth.KindAgent, "elena", "elena@example.com")
		if err := db.CreatePasswordReset(ctx, p.ID, "good", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.CreatePasswordReset(ctx, p.ID, "late", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		newHash := func(*auth.Principal) (string, error) { return "new-hash", nil }
		if err := db.ResetPassword(ctx, "good", newHash); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Principal(ctx, p.ID)
		if got.PasswordHash != "new-hash" {
			t.Fatal("password not reset")
		}
		if err := db.ResetPassword(ctx, "good", newHash); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("second use: %v", err)
		}
		clk.Advance(time.Hour)
		if err := db.ResetPassword(ctx, "late", newHash); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("expired link worked: %v", err)
		}
		if err := db.ResetPassword(ctx, "never-issued", newHash); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("unknown link: %v", err)
		}
	})
}

func TestAPITokensListAndRevoke(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		admin := mustPrincipal(t, db, auth.KindAdmin, "root", "")
		tok, err := db.CreateAPIToken(ctx, auth.APIToken{Name: "CRM", Prefix: "sb_abcd", TokenHash: "th", PrincipalID: admin.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.APITokenByHash(ctx, "th"); err != nil || got.Name != "CRM" || got.CreatedBy != "root" {
			t.Fatalf("by hash: %+v %v", got, err)
		}
		if err := db.RevokeAPIToken(ctx, tok.ID, admin.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.APITokenByHash(ctx, "th"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("revoked token usable: %v", err)
		}
		if list, _ := db.APITokens(ctx); len(list) != 0 {
			t.Fatalf("revoked token listed: %+v", list)
		}
		if err := db.RevokeAPIToken(ctx, tok.ID, admin.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("second revoke: %v", err)
		}
	})
}

func TestSettingsRoundTrip(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		var sec auth.SecuritySettings
		if ok, err := db.Setting(ctx, "security", &sec); ok || err != nil {
			t.Fatalf("unset setting: %v %v", ok, err)
		}
		want := auth.SecuritySettings{Enabled: true, MaxFailedLogins: 7, PasswordMaxAgeDays: 30}
		for i := 0; i < 2; i++ { // the second write is an upsert
			if err := db.PutSetting(ctx, "security", want, 0); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := db.Setting(ctx, "security", &sec); !ok || err != nil || sec != want {
			t.Fatalf("got %+v %v %v", sec, ok, err)
		}
	})
}

// Event ids follow commit order, also when a transaction that recorded its
// event first commits last (PostgreSQL; SQLite runs one writer at a time):
// listeners receive them in id order and a desktop resuming "after" the last
// id it saw misses nothing.
func TestEventIdsFollowCommitOrder(t *testing.T) {
	db := storetest.Open(t, store.Postgres, clock.NewFake(t0))
	ctx := context.Background()
	var published []int64
	var mu sync.Mutex
	db.OnCommit(func(evs []eventlog.Event) {
		mu.Lock()
		defer mu.Unlock()
		for _, ev := range evs {
			published = append(published, ev.ID)
		}
	})
	recorded, release := make(chan struct{}), make(chan struct{})
	slow := make(chan error, 1)
	go func() {
		slow <- db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.AppendEvent(ctx, eventlog.Event{Type: "test.first_recorded", SubjectType: "test"}); err != nil {
				return err
			}
			close(recorded)
			<-release // commits after the other transaction
			return nil
		})
	}()
	<-recorded
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.AppendEvent(ctx, eventlog.Event{Type: "test.first_committed", SubjectType: "test"})
	}); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(ctx, eventlog.Filter{SubjectType: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Type != "test.first_committed" || evs[1].Type != "test.first_recorded" {
		t.Fatalf("events in id order: %+v", evs)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(published) != 2 || published[0] != evs[0].ID || published[1] != evs[1].ID {
		t.Fatalf("published %v, ids %d %d", published, evs[0].ID, evs[1].ID)
	}
}

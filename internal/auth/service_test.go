package auth_test

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/mail"
	"github.com/switchboard-cc/switchboard/internal/mail/mailtest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

type fixture struct {
	db   *store.DB
	clk  *clock.Fake
	svc  *auth.Service
	smtp *mailtest.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := clock.NewFake(t0)
	db := storetest.Open(t, store.SQLite, clk)
	smtp := mailtest.Start(t)
	mailer := &mail.SMTP{Host: smtp.Host, Port: smtp.Port, From: "sb@example.com", TLS: mail.TLSNone}
	svc := auth.NewService(db, clk, mailer, auth.Options{SessionIdle: time.Hour, SessionMaxAge: 8 * time.Hour,
		BaseURL: "https://cc.example.com", LoginRate: 100}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &fixture{db: db, clk: clk, svc: svc, smtp: smtp}
}

const goodPassword = "Start-Pass1"

func (f *fixture) account(t *testing.T, username, email string, mustChange bool) *auth.Principal {
	t.Helper()
	h, _ := auth.HashPassword(goodPassword)
	p, err := f.db.CreatePrincipal(context.Background(), auth.Principal{Kind: auth.KindAgent, Username: username,
		FullName: username, Email: email, PasswordHash: h, MustChangePassword: mustChange}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) login(username, password string) (*auth.SessionInfo, string, error) {
	return f.svc.Login(context.Background(), username, password, "192.0.2.1", "test")
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code || err == nil {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func TestLoginOpensSessionThatAuthenticates(t *testing.T) {
	f := newFixture(t)
	f.account(t, "mario", "", false)
	info, token, err := f.login("MARIO", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if info.PasswordChangeRequired || token == "" || info.Session.CSRFToken == "" {
		t.Fatalf("info %+v", info)
	}
	got, err := f.svc.Authenticate(context.Background(), token)
	if err != nil || got.Principal.Username != "mario" {
		t.Fatalf("authenticate: %v %v", got, err)
	}
	_, err = f.svc.Authenticate(context.Background(), token+"x")
	wantCode(t, err, apperr.Unauthorized)
}

// A request's session is read with the security settings of the moment:
// a shorter password age set while the agent is signed in applies to his
// next request.
func TestAuthenticateAppliesTheSecuritySettingsStoredNow(t *testing.T) {
	f := newFixture(t)
	f.account(t, "mario", "", false)
	_, token, err := f.login("mario", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	info, err := f.svc.Authenticate(ctx, token)
	if err != nil || *info.PasswordExpiresInDays != 90 {
		t.Fatalf("default settings: %+v %v", info, err)
	}
	set := auth.DefaultSecuritySettings()
	set.PasswordMaxAgeDays = 10
	if err := f.db.PutSetting(ctx, auth.SecuritySettingsKey, set, 0); err != nil {
		t.Fatal(err)
	}
	info, err = f.svc.Authenticate(ctx, token)
	if err != nil || *info.PasswordExpiresInDays != 10 || !info.PasswordExpiryWarning {
		t.Fatalf("stored settings: %+v %v", info, err)
	}
	set.Enabled = false
	if err := f.db.PutSetting(ctx, auth.SecuritySettingsKey, set, 0); err != nil {
		t.Fatal(err)
	}
	if info, err = f.svc.Authenticate(ctx, token); err != nil || info.PasswordExpiresInDays != nil {
		t.Fatalf("suite off: %+v %v", info, err)
	}
}

func TestWrongCredentialsAreUnauthorizedAlike(t *testing.T) {
	f := newFixture(t)
	f.account(t, "mario", "", false)
	_, _, err := f.login("mario", "Wrong-Pass1")
	wantCode(t, err, apperr.Unauthorized)
	_, _, err2 := f.login("nobody", "Wrong-Pass1")
	wantCode(t, err2, apperr.Unauthorized)
	if err.Error() != err2.Error() {
		t.Fatalf("unknown user told apart: %v vs %v", err, err2)
	}
	_, _, err = f.login("", "")
	if ae, ok := err.(*apperr.Error); !ok || ae.Fields["username"].Key == "" || ae.Fields["password"].Key == "" {
		t.Fatalf("empty fields: %v", err)
	}
}

func TestAccountLocksAfterConfiguredFailuresUntilUnlocked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sec := auth.DefaultSecuritySettings()
	sec.MaxFailedLogins = 3
	if err := f.db.PutSetting(ctx, auth.SecuritySettingsKey, sec, 0); err != nil {
		t.Fatal(err)
	}
	p := f.account(t, "mario", "", false)
	for i := 0; i < 2; i++ {
		_, _, err := f.login("mario", "Wrong-Pass1")
		wantCode(t, err, apperr.Unauthorized)
	}
	_, _, err := f.login("mario", "Wrong-Pass1")
	wantCode(t, err, apperr.Locked)
	// Even the right password is refused while locked.
	_, _, err = f.login("mario", goodPassword)
	wantCode(t, err, apperr.Locked)
	if err := f.db.Unlock(ctx, p.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.login("mario", goodPassword); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

func TestLockoutIsOffWithTheSuiteOff(t *testing.T) {
	f := newFixture(t)
	sec := auth.DefaultSecuritySettings()
	sec.Enabled = false
	if err := f.db.PutSetting(context.Background(), auth.SecuritySettingsKey, sec, 0); err != nil {
		t.Fatal(err)
	}
	f.account(t, "mario", "", false)
	for i := 0; i < 8; i++ {
		_, _, err := f.login("mario", "nope")
		wantCode(t, err, apperr.Unauthorized)
	}
}

func TestDisabledAccountCannotSignIn(t *testing.T) {
	f := newFixture(t)
	h, _ := auth.HashPassword(goodPassword)
	if _, err := f.db.CreatePrincipal(context.Background(), auth.Principal{Kind: auth.KindAgent, Username: "off",
		PasswordHash: h, Disabled: true}, 0); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.login("off", goodPassword)
	wantCode(t, err, apperr.Forbidden)
}

func TestLoginIsRateLimitedPerUsernameAndRefills(t *testing.T) {
	clk := clock.NewFake(t0)
	db := storetest.Open(t, store.SQLite, clk)
	svc := auth.NewService(db, clk, nil, auth.Options{SessionIdle: time.Hour, SessionMaxAge: time.Hour, LoginRate: 3},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	login := func(ip string) error {
		_, _, err := svc.Login(context.Background(), "ghost", "x", ip, "")
		return err
	}
	for i := 0; i < 3; i++ {
		wantCode(t, login("192.0.2."+string(rune('1'+i))), apperr.Unauthorized)
	}
	// A fourth attempt on the same username from yet another IP is refused.
	wantCode(t, login("192.0.2.9"), apperr.RateLimited)
	clk.Advance(time.Minute)
	wantCode(t, login("192.0.2.9"), apperr.Unauthorized)
}

func TestFirstLoginRequiresChangeAndPolicyApplies(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.account(t, "new.agent", "", true)
	info, _, err := f.login("new.agent", goodPassword)
	if err != nil || !info.PasswordChangeRequired {
		t.Fatalf("change not required: %+v %v", info, err)
	}
	p := info.Principal
	cases := []struct{ current, next, field, rule string }{
		{"Wrong-Pass1", "Other-Pass2", "current_password", "password.wrong"},
		{goodPassword, "short", "new_password", auth.RuleTooShort},
		{goodPassword, "nouppercase1-", "new_password", auth.RuleUppercase},
		{goodPassword, goodPassword, "new_password", auth.RuleSameAsOld},
	}
	for _, c := range cases {
		err := f.svc.ChangePassword(ctx, p, c.current, c.next)
		ae, ok := err.(*apperr.Error)
		if !ok || ae.Fields[c.field].Key != c.rule {
			t.Errorf("change %q→%q: want %s on %s, got %v", c.current, c.next, c.rule, c.field, err)
		}
	}
	if err := f.svc.ChangePassword(ctx, p, goodPassword, "Other-Pass2"); err != nil {
		t.Fatal(err)
	}
	info, _, err = f.login("new.agent", "Other-Pass2")
	if err != nil || info.PasswordChangeRequired {
		t.Fatalf("after change: %+v %v", info, err)
	}
}

func TestPasswordExpiryWarnsThenRequiresChange(t *testing.T) {
	f := newFixture(t)
	f.account(t, "mario", "", false)
	f.clk.Advance(74 * 24 * time.Hour) // 16 days left of 90: no warning yet
	info, _, _ := f.login("mario", goodPassword)
	if info.PasswordExpiryWarning || info.PasswordChangeRequired || *info.PasswordExpiresInDays != 16 {
		t.Fatalf("day 74: %+v days=%d", info, *info.PasswordExpiresInDays)
	}
	f.clk.Advance(2 * 24 * time.Hour) // 14 days left: warn
	info, _, _ = f.login("mario", goodPassword)
	if !info.PasswordExpiryWarning || info.PasswordChangeRequired {
		t.Fatalf("day 76: %+v", info)
	}
	f.clk.Advance(14 * 24 * time.Hour) // expired: must change
	info, _, _ = f.login("mario", goodPassword)
	if !info.PasswordChangeRequired {
		t.Fatalf("day 90: %+v", info)
	}
}

func TestSessionExpiresWhenIdleAndAtMaxAge(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.account(t, "mario", "", false)
	_, token, _ := f.login("mario", goodPassword)
	f.clk.Advance(59 * time.Minute)
	if _, err := f.svc.Authenticate(ctx, token); err != nil {
		t.Fatalf("within idle time: %v", err)
	}
	f.clk.Advance(59 * time.Minute) // used within the hour: the expiry slid
	if _, err := f.svc.Authenticate(ctx, token); err != nil {
		t.Fatalf("sliding expiry: %v", err)
	}
	f.clk.Advance(61 * time.Minute)
	_, err := f.svc.Authenticate(ctx, token)
	wantCode(t, err, apperr.Unauthorized)

	// However busy, a session ends at its maximum age.
	_, token, _ = f.login("mario", goodPassword)
	for i := 0; i < 9; i++ {
		f.clk.Advance(50 * time.Minute)
		if _, err := f.svc.Authenticate(ctx, token); err != nil {
			t.Fatalf("busy session ended early at step %d: %v", i, err)
		}
	}
	f.clk.Advance(50 * time.Minute) // 450 min busy + 50 = past 8 h (480 min)
	_, err = f.svc.Authenticate(ctx, token)
	wantCode(t, err, apperr.Unauthorized)
}

func TestLogoutEverywhereEndsAllSessions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.account(t, "mario", "", false)
	_, a, _ := f.login("mario", goodPassword)
	_, b, _ := f.login("mario", goodPassword)
	if err := f.svc.LogoutEverywhere(ctx, p.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{a, b} {
		_, err := f.svc.Authenticate(ctx, tok)
		wantCode(t, err, apperr.Unauthorized)
	}
}

var linkRE = regexp.MustCompile(`https://cc\.example\.com/reset-password\?token=([A-Za-z0-9_-]+)`)

func TestResetLinkByEmailWorksOnceWithinTheHour(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.account(t, "mario", "mario@example.com", false)
	for i := 0; i < 5; i++ { // locked out
		if _, err := f.db.RecordLoginFailure(ctx, p.ID, 5, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.RequestReset(ctx, "MARIO@example.com", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	msg := f.smtp.Next(t, 10*time.Second)
	if msg.To[0] != "mario@example.com" || !strings.Contains(msg.Subject, "password") {
		t.Fatalf("mail %+v", msg)
	}
	m := linkRE.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no link in %q", msg.Text)
	}
	err := f.svc.ConfirmReset(ctx, m[1], "weak")
	if ae, ok := err.(*apperr.Error); !ok || ae.Fields["new_password"].Key != auth.RuleTooShort {
		t.Fatalf("weak password: %v", err)
	}
	if err := f.svc.ConfirmReset(ctx, m[1], "Reset-Pass9"); err != nil {
		t.Fatal(err)
	}
	// The reset also lifted the lockout.
	if _, _, err := f.login("mario", "Reset-Pass9"); err != nil {
		t.Fatalf("login with new password: %v", err)
	}
	err = f.svc.ConfirmReset(ctx, m[1], "Again-Pass9")
	if ae, ok := err.(*apperr.Error); !ok || ae.Fields["token"].Key != "reset.token_invalid" {
		t.Fatalf("second use: %v", err)
	}

	// A new link expires after one hour.
	if err := f.svc.RequestReset(ctx, "mario@example.com", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	m = linkRE.FindStringSubmatch(f.smtp.Next(t, 10*time.Second).Text)
	f.clk.Advance(time.Hour)
	err = f.svc.ConfirmReset(ctx, m[1], "Late-Pass99")
	wantCode(t, err, apperr.Invalid)
}

func TestResetForUnknownAddressAnswersTheSameAndSendsNothing(t *testing.T) {
	f := newFixture(t)
	if err := f.svc.RequestReset(context.Background(), "nobody@example.com", "192.0.2.1"); err != nil {
		t.Fatalf("unknown address must look like success: %v", err)
	}
	f.svc.Wait()
	select {
	case m := <-f.smtp.Messages:
		t.Fatalf("mail sent to %v", m.To)
	default:
	}
	err := f.svc.RequestReset(context.Background(), "not-an-address", "192.0.2.1")
	wantCode(t, err, apperr.Invalid)
}

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/store"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd(t, "version")
	if code != 0 || !strings.HasPrefix(out, "switchboard dev") {
		t.Fatalf("%d %q", code, out)
	}
}

func TestUnknownCommandShowsUsage(t *testing.T) {
	code, _, errOut := runCmd(t, "fly")
	if code != 2 || !strings.Contains(errOut, `unknown command "fly"`) || !strings.Contains(errOut, "switchboard serve") {
		t.Fatalf("%d %q", code, errOut)
	}
}

func TestMigrateThenAdminCreate(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "sb.db")
	code, out, errOut := runCmd(t, "migrate", "--db", db)
	if code != 0 || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "admin", "create", "--db", db, "--username", "ops", "--password", "Ops-Pass123", "--email", "ops@example.com")
	if code != 0 || !strings.Contains(out, `created admin "ops"`) {
		t.Fatalf("admin create: %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCmd(t, "admin", "create", "--db", db, "--username", "ops", "--password", "Ops-Pass123")
	if code != 1 || !strings.Contains(errOut, "username is already taken") {
		t.Fatalf("duplicate: %d %q", code, errOut)
	}
	code, _, errOut = runCmd(t, "admin", "create", "--db", db, "--username", "bad name", "--password", "weak")
	if code != 1 || !strings.Contains(errOut, "username may contain only") || !strings.Contains(errOut, "password must be at least 8") {
		t.Fatalf("invalid: %d %q", code, errOut)
	}
	// A generated password is printed once and must be changed at first sign-in.
	code, out, _ = runCmd(t, "admin", "create", "--db", db, "--username", "ops2")
	if code != 0 || !strings.Contains(out, "password: ") {
		t.Fatalf("generated: %d %q", code, out)
	}
	s, err := store.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.PrincipalByUsername(context.Background(), "ops2")
	if err != nil || p.Kind != auth.KindAdmin || !p.MustChangePassword {
		t.Fatalf("ops2: %+v %v", p, err)
	}
	pw := strings.TrimSpace(strings.SplitN(strings.SplitN(out, "password: ", 2)[1], "\n", 2)[0])
	if !auth.VerifyPassword(p.PasswordHash, pw) {
		t.Fatal("printed password does not match the stored hash")
	}
}

func TestServeRejectsBadConfiguration(t *testing.T) {
	code, _, errOut := runCmd(t, "serve", "--db", "mysql://nope")
	if code != 1 || !strings.Contains(errOut, "db") {
		t.Fatalf("%d %q", code, errOut)
	}
}

// The real binary must not carry the browser tests' clock control.
func TestRealBuildHasNoTestHooks(t *testing.T) {
	if testClock() != nil || testRoutes(nil) != nil {
		t.Fatal("test hooks are compiled into the real binary")
	}
}

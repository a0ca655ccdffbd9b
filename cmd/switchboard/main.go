// Command switchboard is the Switchboard contact center: one binary with the
// server, its migrations and its administration commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/switchboard-cc/switchboard/internal/app"
	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/bench"
	"github.com/switchboard-cc/switchboard/internal/config"
	"github.com/switchboard-cc/switchboard/internal/i18n"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `switchboard — an omnichannel contact center

Usage:
  switchboard serve [flags]          run the server (see switchboard serve -h)
  switchboard migrate [flags]        apply database migrations and exit
  switchboard admin create [flags]   create an admin from the command line
  switchboard bench [flags]          load a server and report its figures (see switchboard bench -h)
  switchboard version                print the version

Every flag can also be set with its SWITCHBOARD_* environment variable.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(args[1:], stderr)
	case "migrate":
		err = migrate(args[1:], stdout, stderr)
	case "admin":
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprint(stderr, "usage: switchboard admin create --username NAME [--password PW] [--full-name NAME] [--email ADDR]\n")
			return 2
		}
		err = adminCreate(args[2:], stdout, stderr)
	case "bench":
		err = bench.Command(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "switchboard", fullVersion())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "switchboard: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "switchboard:", describe(err))
		return 1
	}
	return 0
}

// describe renders an error for the terminal, in English.
func describe(err error) string {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return err.Error()
	}
	s := i18n.T("en", ae.Message.Key, ae.Message.Args...)
	for f, m := range ae.Fields {
		s += fmt.Sprintf("\n  %s %s", f, i18n.T("en", m.Key, m.Args...))
	}
	return s
}

func fullVersion() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func serve(args []string, stderr io.Writer) error {
	cfg, _, err := config.Load("serve", args, os.LookupEnv, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	log.Info("starting switchboard", append([]any{"version", fullVersion()}, cfg.Describe()...)...)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	a, err := app.New(ctx, cfg, testClock(), log)
	if err != nil {
		return err
	}
	defer a.Close()
	a.Wrap = testRoutes(a)
	return a.Serve(ctx)
}

func migrate(args []string, stdout, stderr io.Writer) error {
	cfg, _, err := config.Load("migrate", args, os.LookupEnv, []string{"db"})
	if err != nil {
		return err
	}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.DB, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	v, err := db.MigrationVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database is at schema version %d\n", v)
	return nil
}

func adminCreate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	username := fs.String("username", "", "username of the new admin (required)")
	fullName := fs.String("full-name", "Administrator", "full name")
	email := fs.String("email", "", "email address (for password reset)")
	password := fs.String("password", "", "password (default: SWITCHBOARD_ADMIN_PASSWORD, else a random one printed once)")
	dbURL := fs.String("db", "", "database (default: SWITCHBOARD_DB, else sqlite:./data/switchboard.db)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var dbArgs []string
	if *dbURL != "" {
		dbArgs = []string{"--db", *dbURL}
	}
	cfg, _, err := config.Load("admin create", dbArgs, os.LookupEnv, []string{"db", "admin-password"})
	if err != nil {
		return err
	}
	pw := *password
	if pw == "" {
		pw = cfg.AdminPassword
	}
	generated := pw == ""
	if generated {
		pw = auth.GeneratePassword()
	}
	acct := auth.NewAccount{Kind: auth.KindAdmin, Username: *username, FullName: *fullName, Email: *email, Password: pw}
	acct.Normalize()
	f := apperr.FieldErrors{}
	acct.Validate(f)
	if rule, a := auth.CheckPassword(pw, true); rule != "" {
		f.Add("password", rule, a...)
	}
	if err := f.Err(); err != nil {
		return err
	}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.DB, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	p, err := db.CreatePrincipal(ctx, auth.Principal{Kind: auth.KindAdmin, Username: acct.Username,
		FullName: acct.FullName, Email: acct.Email, PasswordHash: hash, MustChangePassword: generated}, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created admin %q (id %d)\n", p.Username, p.ID)
	if generated {
		fmt.Fprintf(stdout, "password: %s\n(it must be changed at the first sign-in)\n", pw)
	}
	return nil
}

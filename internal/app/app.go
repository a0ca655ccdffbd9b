// Package app wires Switchboard's parts into one running server. The binary's
// main and the end-to-end tests both build it from here.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/switchboard-cc/switchboard/docs"
	"github.com/switchboard-cc/switchboard/internal/acd"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/bootstrap"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/config"
	"github.com/switchboard-cc/switchboard/internal/httpapi"
	"github.com/switchboard-cc/switchboard/internal/mail"
	"github.com/switchboard-cc/switchboard/internal/outbox"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
	"github.com/switchboard-cc/switchboard/web"
)

// App is a running Switchboard site.
type App struct {
	Config *config.Config
	DB     *store.DB
	Auth   *auth.Service
	HTTP   *httpapi.Server
	ACD    *acd.Engine
	Outbox *outbox.Worker
	Log    *slog.Logger
	Clock  clock.Clock

	// ConnState, when set, observes the HTTP server's connections (tests
	// use it to know a request is in flight).
	ConnState func(net.Conn, http.ConnState)
	// Wrap, when set, wraps the site's handler (the e2e build adds its
	// clock control there).
	Wrap func(http.Handler) http.Handler

	registry *prometheus.Registry
}

// New opens and migrates the database, makes sure an admin exists, seeds the
// demo when asked, and builds the HTTP server.
func New(ctx context.Context, cfg *config.Config, clk clock.Clock, log *slog.Logger) (*App, error) {
	if clk == nil {
		clk = clock.Real{}
	}
	db, err := store.Open(ctx, cfg.DB, clk)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := bootstrap.EnsureAdmin(ctx, db, cfg.AdminPassword, log); err != nil {
		db.Close()
		return nil, err
	}
	if cfg.Demo {
		if err := bootstrap.SeedDemo(ctx, db, cfg.BaseURL, log); err != nil {
			db.Close()
			return nil, err
		}
	}
	var mailer auth.Mailer
	if cfg.SMTPHost != "" {
		mailer = &mail.SMTP{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
			Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: cfg.SMTPTLS}
	}
	authSvc := auth.NewService(db, clk, mailer, auth.Options{SessionIdle: cfg.SessionIdle,
		SessionMaxAge: cfg.SessionMaxAge, BaseURL: cfg.BaseURL, LoginRate: cfg.LoginRatePerMin}, log)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	webFS, err := fs.Sub(web.Dist, "dist")
	if cfg.WebDir != "" {
		webFS, err = os.DirFS(cfg.WebDir), nil
	}
	if err != nil {
		webFS = nil
	} else if _, err := fs.Stat(webFS, "index.html"); err != nil {
		webFS = nil
	}
	srv := httpapi.New(db, authSvc, clk, log, httpapi.Config{MaxBodyBytes: cfg.MaxBodyBytes,
		SecureCookie: strings.HasPrefix(cfg.BaseURL, "https://"), OpenAPI: docs.OpenAPI, AwayAfter: cfg.AwayAfter,
		BaseURL: cfg.BaseURL, Demo: cfg.Demo, WidgetRateScale: cfg.WidgetRateScale,
		PhoneRegion: cfg.PhoneRegion}, webFS, reg)
	db.OnCommit(srv.Hub().Publish)
	engine, err := acd.New(ctx, db, clk, log, acd.Options{RequeueOnLogout: cfg.RequeueOnLogout})
	if err != nil {
		db.Close()
		return nil, err
	}
	srv.SetRouting(engine)
	worker := newOutbox(db, srv, clk, log)
	srv.SetOutbox(worker)
	worker.Start()
	return &App{Config: cfg, DB: db, Auth: authSvc, HTTP: srv, Log: log, Clock: clk, ACD: engine, Outbox: worker,
		registry: reg}, nil
}

// newOutbox builds the worker that sends the outbox's messages, with the
// sender of each channel that delivers through a provider.
func newOutbox(db *store.DB, srv *httpapi.Server, clk clock.Clock, log *slog.Logger) *outbox.Worker {
	wa := &whatsapp.Sender{Source: db, HTTP: &http.Client{Timeout: whatsapp.SendTimeout}, MediaURL: srv.MediaURL,
		StatusCallback: srv.WhatsAppStatusURL}
	return outbox.NewWorker(db, map[string]outbox.Sender{"whatsapp": wa}, clk, log,
		outbox.Options{SendTimeout: whatsapp.SendTimeout, Lease: 2 * whatsapp.SendTimeout})
}

// Handler is the root HTTP handler.
func (a *App) Handler() http.Handler {
	h := a.HTTP.Handler(a.registry)
	if a.Wrap != nil {
		h = a.Wrap(h)
	}
	return h
}

// Serve listens on the configured address until ctx ends, then shuts down
// gracefully: in-flight requests finish (up to the shutdown timeout), and the
// database is closed cleanly.
func (a *App) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Config.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", a.Config.Listen, err)
	}
	return a.ServeListener(ctx, ln)
}

// ServeListener is Serve on a given listener.
func (a *App) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn), ConnState: a.ConnState}
	bgCtx, stopBG := context.WithCancel(context.Background())
	defer stopBG()
	go a.sweepSessions(bgCtx)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.Log.Info("switchboard is listening", "url", "http://"+ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	srv.RegisterOnShutdown(a.HTTP.CloseSockets)
	err := srv.Shutdown(shutCtx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		a.Log.Error("server", "err", err)
	}
	a.Auth.Wait()
	a.ACD.Stop()
	a.Outbox.Stop()
	return err
}

// sweepSessions deletes expired sessions and reset links every few minutes.
func (a *App) sweepSessions(ctx context.Context) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := a.DB.DeleteExpiredSessions(ctx, a.Clock.Now()); err != nil && ctx.Err() == nil {
				a.Log.Warn("session sweep", "err", err)
			}
			// Statuses of messages this site never sent (store.ApplyOutboundStatus).
			if err := a.DB.SweepEarlyStatuses(ctx, a.Clock.Now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
				a.Log.Warn("early status sweep", "err", err)
			}
		}
	}
}

// Close stops the outbox and releases the database.
func (a *App) Close() error {
	a.Outbox.Stop()
	return a.DB.Close()
}

// Package apptest boots the whole Switchboard program for API tests: a real
// database, the real HTTP stack behind httptest, a fake clock, and a client
// that keeps cookies and sends the CSRF token like the web app does.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/app"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/config"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// AdminPassword is the bootstrap admin's password in tests.
const AdminPassword = "Admin-Pass1"

// Site is a running test site.
type Site struct {
	App    *app.App
	Server *httptest.Server
	Clock  *clock.Fake

	cfg      *config.Config
	log      *slog.Logger
	stopOnce sync.Once
}

// Options tune a test site.
type Options struct {
	Dialect store.Dialect
	Env     map[string]string // SWITCHBOARD_* settings
}

// Start boots a site; it stops when the test ends.
func Start(t testing.TB, o Options) *Site {
	t.Helper()
	if o.Dialect == "" {
		o.Dialect = store.SQLite
	}
	env := map[string]string{"SWITCHBOARD_DB": storetest.URL(t, o.Dialect), "SWITCHBOARD_ADMIN_PASSWORD": AdminPassword,
		"SWITCHBOARD_LOGIN_RATE": "1000"}
	for k, v := range o.Env {
		env[k] = v
	}
	cfg, _, err := config.Load("test", nil, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, nil)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	return boot(t, cfg, clk, log)
}

func boot(t testing.TB, cfg *config.Config, clk *clock.Fake, log *slog.Logger) *Site {
	t.Helper()
	a, err := app.New(context.Background(), cfg, clk, log)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	s := &Site{App: a, Server: srv, Clock: clk, cfg: cfg, log: log}
	t.Cleanup(s.stop)
	return s
}

func (s *Site) stop() {
	s.stopOnce.Do(func() {
		s.Server.Close()
		s.App.Auth.Wait()
		s.App.ACD.Stop()
		s.App.Close()
	})
}

// Restart stops the site and starts a new one on the same database and
// clock, as after a crash or an upgrade.
func (s *Site) Restart(t testing.TB) *Site {
	t.Helper()
	s.stop()
	return boot(t, s.cfg, s.Clock, s.log)
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(b, "\n")))
	return len(b), nil
}

// Client is a browser-like API client.
type Client struct {
	t        testing.TB
	site     *Site
	HTTP     *http.Client
	CSRF     string
	Bearer   string
	Language string
}

// Client returns a client with its own cookie jar.
func (s *Site) Client(t testing.TB) *Client {
	return &Client{t: t, site: s, HTTP: &http.Client{Jar: newSiteJar(s.Clock)}}
}

// Response is a decoded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	m := map[string]any{}
	r.JSON(t, &m)
	return m
}

// Do sends a request with an optional JSON body (a []byte is sent as is).
func (c *Client) Do(method, path string, body any) *Response {
	c.t.Helper()
	switch b := body.(type) {
	case nil:
		return c.send(method, path, "", nil)
	case []byte:
		return c.send(method, path, "application/json", b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		return c.send(method, path, "application/json", raw)
	}
}

// DoRaw sends a body with its own content type (a file upload).
func (c *Client) DoRaw(method, path, contentType string, body []byte) *Response {
	c.t.Helper()
	return c.send(method, path, contentType, body)
}

// send makes the request the way the web app does: session cookie, CSRF
// token on writes, the chosen language.
func (c *Client) send(method, path, contentType string, body []byte) *Response {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.site.Server.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.CSRF != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
	}
	if c.Language != "" {
		req.Header.Set("Accept-Language", c.Language)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// Login signs in and keeps the CSRF token; it fails the test unless 200.
func (c *Client) Login(username, password string) map[string]any {
	c.t.Helper()
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password})
	if r.Status != http.StatusOK {
		c.t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	m := r.Map(c.t)
	c.CSRF, _ = m["csrf_token"].(string)
	return m
}

// Admin returns a client signed in as the bootstrap admin.
func (s *Site) Admin(t testing.TB) *Client {
	c := s.Client(t)
	c.Login("admin", AdminPassword)
	return c
}

// Expect fails the test unless the answer has the status.
func (r *Response) Expect(t testing.TB, status int) *Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("want %d, got %d: %s", status, r.Status, r.Body)
	}
	return r
}

// Package httpapi serves Switchboard's REST API under /api/v1, the health and
// metrics endpoints, and the embedded web app. The route table in routes.go
// shows each route's access rule; every rule is checked here, on the server.
package httpapi

import (
	"cmp"
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/switchboard-cc/switchboard/internal/acd"
	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/realtime"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/webchat"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// Config is what the HTTP layer takes from the configuration.
type Config struct {
	MaxBodyBytes int64
	SecureCookie bool // set the Secure flag: the site is served over https
	OpenAPI      []byte
	AwayAfter    time.Duration // an agent with no socket this long is away
	BaseURL      string        // the public URL of the site, without a trailing slash (widget snippets)
	Demo         bool          // the demo site is seeded: serve its shop page at /demo/shop
	// WidgetRateScale multiplies the chat widget's rate limits (0 or 1:
	// as documented; more only for load tests).
	WidgetRateScale int
	// PhoneRegion is the region of phone numbers without a country code
	// (the Contact Manager's E.164 numbers); "" is contacts.DefaultRegion.
	PhoneRegion string
}

// Server is the HTTP side of Switchboard.
type Server struct {
	db      *store.DB
	auth    *auth.Service
	clock   clock.Clock
	log     *slog.Logger
	cfg     Config
	web     fs.FS // the built web app (index.html at its root); nil when not built
	metrics *metrics
	ready   func(context.Context) error

	routesOnce sync.Once
	routes     []route

	// onRoutingChange, when set, hears of configuration changes that the
	// routing engine must apply at once.
	onRoutingChange func(ctx context.Context, kind string, id int64)

	hub       *realtime.Hub
	acd       *acd.Engine
	works     func(agentID, queueID int64) bool // does a logged-in agent work a queue now
	closing   chan struct{}
	closeOnce sync.Once

	// watchTimers end the watches of interactions nobody renews (watchers.go).
	watchTimers watchTimers

	// chatLimits are the chat widget's rate limits.
	chatLimits *webchat.Limits

	// whatsappMedia fetches the files WhatsApp customers send.
	whatsappMedia *whatsapp.Fetcher

	// outbox is woken when a message is enqueued (whatsapp_outbound.go).
	outbox interface{ Wake() }
}

// New builds the server.
func New(db *store.DB, authSvc *auth.Service, clk clock.Clock, log *slog.Logger, cfg Config, web fs.FS, reg prometheus.Registerer) *Server {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	return &Server{db: db, auth: authSvc, clock: clk, log: log, cfg: cfg, web: web, metrics: newMetrics(reg), ready: db.Ping,
		hub: realtime.NewHub(clk, cmp.Or(cfg.AwayAfter, time.Minute)), closing: make(chan struct{}),
		chatLimits:    webchat.NewScaledLimits(clk, cfg.WidgetRateScale),
		whatsappMedia: &whatsapp.Fetcher{HTTP: &http.Client{Timeout: whatsappMediaTimeout}}}
}

// Handler returns the root handler with all middleware.
func (s *Server) Handler(gatherer prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	methods := map[string]bool{}
	for _, rt := range s.table() {
		mux.Handle(rt.method+" "+rt.path, s.guard(rt))
		methods[rt.method] = true
	}
	// Unknown API paths get a JSON 404; a known path asked with another
	// method gets a JSON 405 rather than the mux's plain text.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		for m := range methods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/api/" && m != r.Method {
				writeError(w, r, s.log, &apperr.Error{Code: apperr.MethodNotAllowed,
					Message: apperr.Message{Key: "error.method_not_allowed", Args: []any{r.Method}}})
				return
			}
		}
		writeError(w, r, s.log, apperr.New(apperr.NotFound, "error.route_not_found"))
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /widget.js", s.widgetScript)
	if s.cfg.Demo {
		mux.HandleFunc("GET /demo/shop", s.demoShop)
	}
	mux.Handle("/", s.spa())
	return s.recoverer(s.logRequests(mux))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// statusRecorder remembers the status and size of an answer for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (WebSockets, flush).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one structured line per request. It logs the path only,
// never the query string, which may carry a reset token.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		d := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "other"
		}
		s.metrics.observe(route, rec.status, d)
		if strings.HasPrefix(r.URL.Path, "/assets/") && rec.status < 400 {
			return
		}
		s.log.Info("http", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "ms", float64(d.Microseconds())/1000, "ip", clientIP(r))
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v)
				writeError(w, r, s.log, apperr.New(apperr.Internal, "error.internal"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientIP is the peer address. Switchboard does not trust X-Forwarded-For
// by default, so a client cannot pick its own rate-limit bucket.
func clientIP(r *http.Request) string {
	addr := r.RemoteAddr
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		addr = addr[:i]
	}
	return strings.Trim(addr, "[]")
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_http_requests_total",
			Help: "HTTP requests by route and status."}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_http_request_duration_seconds",
			Help: "HTTP request duration by route.", Buckets: prometheus.DefBuckets}, []string{"route"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration)
	}
	return m
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, http.StatusText(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

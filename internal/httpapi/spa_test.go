package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/prometheus/client_golang/prometheus"
)

func TestWebAppIsServedForEveryNonAPIPath(t *testing.T) {
	web := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><div id=app></div>")},
		"assets/app-1a2b.js": {Data: []byte("console.log(1)")},
	}
	reg := prometheus.NewRegistry()
	s := New(nil, nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{}, web, reg)
	h := s.Handler(reg)
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	for _, p := range []string{"/", "/login", "/admin/agents", "/reset-password?token=abc"} {
		w := get(p)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "id=app") || w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %d %q %q", p, w.Code, w.Body.String(), w.Header().Get("Cache-Control"))
		}
	}
	w := get("/assets/app-1a2b.js")
	if w.Code != 200 || w.Body.String() != "console.log(1)" || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("asset: %d %q", w.Code, w.Header())
	}
	w = get("/api/v1/whatever")
	if w.Code != http.StatusNotFound || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("api 404: %d %s", w.Code, w.Body.String())
	}
}

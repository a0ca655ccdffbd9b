package httpapi

import (
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/prometheus/client_golang/prometheus"
)

func widgetScriptServer(web fs.FS) *httptest.ResponseRecorder {
	reg := prometheus.NewRegistry()
	s := New(nil, nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{}, web, reg)
	w := httptest.NewRecorder()
	s.Handler(reg).ServeHTTP(w, httptest.NewRequest("GET", "/widget.js", nil))
	return w
}

func TestTheWidgetScriptIsServedForScriptTags(t *testing.T) {
	w := widgetScriptServer(fstest.MapFS{
		"index.html": {Data: []byte("<!doctype html><div id=app></div>")},
		"widget.js":  {Data: []byte("(()=>{})();")},
	})
	h := w.Header()
	if w.Code != 200 || w.Body.String() != "(()=>{})();" || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") ||
		h.Get("Cache-Control") != "public, max-age=300" || h.Get("ETag") == "" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("%d %q %v", w.Code, w.Body.String(), h)
	}
}

func TestTheWidgetScriptIs404WhenNotBuilt(t *testing.T) {
	for name, web := range map[string]fs.FS{
		"app built without the widget": fstest.MapFS{"index.html": {Data: []byte("<!doctype html><div id=app></div>")}},
		"nothing built":                nil,
	} {
		w := widgetScriptServer(web)
		if w.Code != 404 || strings.Contains(w.Body.String(), "id=app") {
			t.Errorf("%s: %d %q", name, w.Code, w.Body.String())
		}
	}
}

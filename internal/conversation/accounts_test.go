package conversation

import (
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

func TestNormaliseOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://Shop.Example.com/":  "https://shop.example.com",
		" http://localhost:8080 ":    "http://localhost:8080",
		"https://[::1]:8443":         "https://[::1]:8443",
		"https://shop.example.com/x": "",
		"https://shop.example.com?a": "",
		"https://shop.example.com#a": "",
		"https://user@example.com":   "",
		"ftp://example.com":          "",
		"example.com":                "",
		"https://":                   "",
		"https://example.com:0":      "",
		"https://example.com:99999":  "",
	} {
		got, ok := NormaliseOrigin(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormaliseOrigin(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestNewWebsiteIsValidWithAName(t *testing.T) {
	w := NewWebsite()
	w.Name = "Shop"
	f := apperr.FieldErrors{}
	w.Validate(f)
	if len(f) != 0 {
		t.Fatalf("defaults do not validate: %v", f)
	}
	if len(w.WidgetKey) < 22 || NewWidgetKey() == w.WidgetKey {
		t.Fatalf("widget key %q", w.WidgetKey)
	}
}

package apptest

import (
	"net/http"
	"net/url"
	"sync"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// siteJar is a cookie jar for one test site that tells expiry by the
// site's clock. net/http/cookiejar uses the wall clock, so a session cookie
// whose expiry the fake clock set (fake start + session lifetime) was dropped
// once the real day passed that hour, and every signed-in test failed.
type siteJar struct {
	clock   clock.Clock
	mu      sync.Mutex
	cookies map[string]*http.Cookie // by name: one site, one host
}

func newSiteJar(clk clock.Clock) *siteJar {
	return &siteJar{clock: clk, cookies: map[string]*http.Cookie{}}
}

// SetCookies keeps the cookies the site sets; one with a negative Max-Age
// or an expiry already past deletes its name.
func (j *siteJar) SetCookies(_ *url.URL, cookies []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.clock.Now()
	for _, c := range cookies {
		if c.MaxAge < 0 || (!c.Expires.IsZero() && !c.Expires.After(now)) {
			delete(j.cookies, c.Name)
			continue
		}
		kept := *c
		j.cookies[c.Name] = &kept
	}
}

// Cookies returns the cookies still valid by the site's clock.
// The test site listens on the loopback address, which counts as a secure
// origin (as in net/http/cookiejar), so Secure cookies are sent too.
func (j *siteJar) Cookies(_ *url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.clock.Now()
	var out []*http.Cookie
	for name, c := range j.cookies {
		if !c.Expires.IsZero() && !c.Expires.After(now) {
			delete(j.cookies, name)
			continue
		}
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

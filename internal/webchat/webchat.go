// Package webchat holds the rules of the website chat channel, apart from
// HTTP: which browser origins may use a website's widget, how the fields a
// customer submits are checked against the website's forms, the chat
// tokens that authenticate a customer, and the limits that keep a public
// endpoint from being flooded. The wire protocol is docs/widget-protocol.md.
package webchat

import (
	"crypto/subtle"
	"net/url"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/conversation"
)

// OriginAllowed reports whether a browser's Origin header names one of a
// website's allowed origins: the same scheme, host and port, nothing
// looser (no wildcard, no subdomain). An empty list allows none, so a new
// website's widget works only once an admin lists where it is embedded.
// A default port written out ("https://shop.example.com:443") matches the
// browser's form without it.
func OriginAllowed(allowed []string, origin string) bool {
	o, ok := canonicalOrigin(origin)
	if !ok {
		return false
	}
	for _, a := range allowed {
		if c, ok := canonicalOrigin(a); ok && c == o {
			return true
		}
	}
	return false
}

// canonicalOrigin normalises an origin and drops its scheme's default port.
func canonicalOrigin(o string) (string, bool) {
	norm, ok := conversation.NormaliseOrigin(o)
	if !ok {
		return "", false
	}
	u, err := url.Parse(norm)
	if err != nil {
		return "", false
	}
	if (u.Scheme == "http" && u.Port() == "80") || (u.Scheme == "https" && u.Port() == "443") {
		return u.Scheme + "://" + u.Hostname(), true
	}
	return norm, true
}

// ---- chat tokens

// NewToken returns a fresh chat token and the hash to store: the token
// itself is shown once, to the widget, and never stored.
func NewToken() (token, hash string) {
	token = auth.RandomToken(32)
	return token, HashToken(token)
}

// HashToken is how a chat token is stored and looked up: a SHA-256, as for
// sessions (the token is random enough that no slow hash is needed).
func HashToken(token string) string { return auth.HashToken(token) }

// TokenMatches compares a presented token with a stored hash in constant
// time.
func TokenMatches(token, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(hash)) == 1
}

// ---- rate limits

// Limits are the widget's rate limits (docs/widget-protocol.md): per client
// IP for configuration reads, chats started and file uploads; per chat for
// messages over the socket. Each is a token bucket on the injected clock:
// the full allowance at once, then refilled evenly over its window.
type Limits struct {
	Config   *auth.Limiter // 30 a minute per IP
	Chats    *auth.Limiter // 5 per 10 minutes per IP
	Uploads  *auth.Limiter // 20 per 10 minutes per IP
	Messages *auth.Limiter // 20 per 10 seconds per chat
}

// Limit is one allowance: Count events per Window.
type Limit struct {
	Count  int
	Window time.Duration
}

// The protocol's allowances.
var (
	ConfigLimit  = Limit{30, time.Minute}
	ChatLimit    = Limit{5, 10 * time.Minute}
	UploadLimit  = Limit{20, 10 * time.Minute}
	MessageLimit = Limit{20, 10 * time.Second}
)

func (l Limit) limiter(clk clock.Clock) *auth.Limiter {
	return auth.NewLimiter(clk, l.Window/time.Duration(l.Count), l.Count)
}

// NewLimits builds the widget's limiters on a clock.
func NewLimits(clk clock.Clock) *Limits { return NewScaledLimits(clk, 1) }

// NewScaledLimits builds the widget's limiters with every allowance
// multiplied by scale (at least 1), over the same windows. It is for load
// tests, whose customers all come from one address (--widget-rate-scale).
func NewScaledLimits(clk clock.Clock, scale int) *Limits {
	scale = max(scale, 1)
	return &Limits{Config: ConfigLimit.scaled(scale).limiter(clk), Chats: ChatLimit.scaled(scale).limiter(clk),
		Uploads: UploadLimit.scaled(scale).limiter(clk), Messages: MessageLimit.scaled(scale).limiter(clk)}
}

func (l Limit) scaled(n int) Limit { return Limit{l.Count * n, l.Window} }

// AgentName is how the customer sees an agent: his first name only (the
// first word of his full name, else his username), so the widget never
// shows a staff member's whole name.
func AgentName(fullName, username string) string {
	if f := strings.Fields(fullName); len(f) > 0 {
		return f[0]
	}
	return username
}

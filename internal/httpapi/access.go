package httpapi

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// SessionCookie is the name of the sign-in cookie.
const SessionCookie = "sb_session"

// Caller is who is making a request.
type Caller struct {
	Principal *auth.Principal
	Info      *auth.SessionInfo // nil for API-token callers
	ViaToken  bool
	Rights    staff.Rights // per section; admins have all, agents none
	ProfileID *int64       // a user's profile, which bounds the agents he may touch
	// Mask, when set, masks contacts' sensitive data in every answer to him
	// (an agent with "mask sensitive data": see contacts_mask.go).
	Mask *contacts.Masker
}

// IsAgent reports whether the caller is an agent.
func (c *Caller) IsAgent() bool { return c.Principal.Kind == auth.KindAgent }

// Scoped reports whether the caller only operates on agents in his
// profile's queues (a user, not an admin).
func (c *Caller) Scoped() bool { return c.Principal.Kind == auth.KindUser }

// ID is the caller's principal id.
func (c *Caller) ID() int64 { return c.Principal.ID }

// IsAdmin reports whether the caller has every right.
func (c *Caller) IsAdmin() bool { return c.Principal.Kind == auth.KindAdmin }

type callerKey struct{}

func callerFrom(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	return c
}

// Access is the rule a route enforces before its handler runs.
type Access struct {
	Name         string // shown in the route table and the OpenAPI document
	Public       bool   // no sign-in needed
	DuringChange bool   // allowed while a password change is required
	// OwnOrigin public routes check the browser's Origin themselves (the
	// chat widget: against its website's allowed origins), instead of the
	// same-origin rule of other public writes.
	OwnOrigin bool
	Allow     func(*Caller) bool
}

var (
	// Public routes need no sign-in.
	Public = Access{Name: "public", Public: true}
	// SignedIn routes are open to anyone signed in, even one who must first
	// change his password (so he can change it, see who he is, sign out).
	SignedIn = Access{Name: "signed-in", DuringChange: true}
	// AnyPrincipal routes are open to anyone signed in with a valid password.
	AnyPrincipal = Access{Name: "any-principal"}
	// AdminOnly routes are for admins.
	AdminOnly = Access{Name: "admin", Allow: (*Caller).IsAdmin}
	// AgentOnly routes are an agent's own (his desktop).
	AgentOnly = Access{Name: "agent", Allow: (*Caller).IsAgent}
	// Widget routes are the customer chat widget's: public, and called from
	// the websites the widget is embedded in — foreign origins by design —
	// so each handler checks the Origin against the website's allowed
	// origins (and the chat token where there is one) itself.
	Widget = Access{Name: "widget", Public: true, OwnOrigin: true}
	// Webhook routes are called by a channel provider's servers (WhatsApp
	// through Meta or Twilio): public, no session or CSRF token; each
	// handler checks the provider's signature on the raw body itself.
	Webhook = Access{Name: "webhook", Public: true, OwnOrigin: true}
)

// Section is a route open to admins and to users whose profile grants
// right in section.
func Section(sec staff.Section, right staff.Right) Access {
	return Access{Name: string(sec) + ":" + string(right), Allow: func(c *Caller) bool { return c.Rights.Has(sec, right) }}
}

// AnySection is open to whoever has right in any of the sections.
func AnySection(right staff.Right, secs ...staff.Section) Access {
	name := ""
	for i, s := range secs {
		if i > 0 {
			name += "|"
		}
		name += string(s) + ":" + string(right)
	}
	return Access{Name: name, Allow: func(c *Caller) bool {
		for _, s := range secs {
			if c.Rights.Has(s, right) {
				return true
			}
		}
		return false
	}}
}

// guard authenticates the request and enforces the route's rule.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.MaxBodyBytes
		if rt.bodyLimit > 0 {
			limit = rt.bodyLimit
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if rt.access.Public {
			if unsafeMethod(r.Method) && !rt.access.OwnOrigin && !sameOrigin(r) {
				writeError(w, r, s.log, apperr.New(apperr.Forbidden, "error.origin"))
				return
			}
			if err := rt.handler(w, r); err != nil {
				writeError(w, r, s.log, err)
			}
			return
		}
		caller, err := s.authenticate(r)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		if caller.Info != nil && caller.Info.PasswordChangeRequired && !rt.access.DuringChange {
			writeError(w, r, s.log, apperr.New(apperr.PasswordChangeRequired, "auth.password_change_required"))
			return
		}
		if rt.access.Allow != nil && !rt.access.Allow(caller) {
			writeError(w, r, s.log, apperr.New(apperr.Forbidden, "error.forbidden"))
			return
		}
		if caller.Mask, err = s.maskerFor(r.Context(), caller); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		if caller.Mask != nil {
			w = &maskingWriter{ResponseWriter: w, masker: *caller.Mask}
		}
		ctx := context.WithValue(r.Context(), callerKey{}, caller)
		if err := rt.handler(w, r.WithContext(ctx)); err != nil {
			writeError(w, r, s.log, err)
		}
	})
}

// authenticate accepts an API token as Bearer, else the session cookie; a
// cookie-authenticated write must carry the session's CSRF token.
func (s *Server) authenticate(r *http.Request) (*Caller, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, apperr.New(apperr.Unauthorized, "auth.bad_token")
		}
		p, err := s.auth.AuthenticateToken(r.Context(), strings.TrimSpace(token))
		if err != nil {
			return nil, err
		}
		return s.withRights(r.Context(), &Caller{Principal: p, ViaToken: true})
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil, apperr.New(apperr.Unauthorized, "auth.required")
	}
	info, err := s.auth.Authenticate(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	if unsafeMethod(r.Method) {
		sent := r.Header.Get("X-CSRF-Token")
		if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(info.Session.CSRFToken)) != 1 {
			return nil, apperr.New(apperr.CSRF, "error.csrf")
		}
	}
	return s.withRights(r.Context(), &Caller{Principal: info.Principal, Info: info})
}

// withRights loads what the caller may do: everything for an admin, his
// profile's rights for a user, nothing in the console for an agent.
func (s *Server) withRights(ctx context.Context, c *Caller) (*Caller, error) {
	switch c.Principal.Kind {
	case auth.KindAdmin:
		c.Rights = staff.FullRights()
	case auth.KindUser:
		c.Rights = staff.Rights{}
		id, err := s.db.UserProfileOf(ctx, c.Principal.ID)
		if err != nil {
			return nil, err
		}
		if id != nil {
			p, err := s.db.UserProfile(ctx, *id)
			if err != nil {
				return nil, err
			}
			c.Rights, c.ProfileID = p.Rights, id
		}
	default:
		c.Rights = staff.Rights{}
	}
	return c, nil
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// sameOrigin rejects a cross-site form or script posting to a public
// endpoint (login CSRF): when the browser names an Origin, it must be ours.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true // not a browser, or a same-origin GET-like navigation
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

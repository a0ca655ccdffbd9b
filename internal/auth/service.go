package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Store is what the auth service needs from storage.
type Store interface {
	Principal(ctx context.Context, id int64) (*Principal, error)
	PrincipalByUsername(ctx context.Context, username string) (*Principal, error)
	PrincipalsByEmail(ctx context.Context, email string) ([]*Principal, error)
	RecordLoginFailure(ctx context.Context, id int64, lockAfter int, ip string) (bool, error)
	CreateSession(ctx context.Context, s Session) (*Session, error)
	SessionByTokenHash(ctx context.Context, hash string, now time.Time, settingKey string, setting any) (*Session, *Principal, error)
	TouchSession(ctx context.Context, id int64, seen, expires time.Time) error
	DeleteSession(ctx context.Context, id, principalID int64) error
	DeletePrincipalSessions(ctx context.Context, principalID, actor int64) error
	SetPassword(ctx context.Context, id int64, hash string, mustChange bool, typ eventlog.Type, actor int64) error
	CreatePasswordReset(ctx context.Context, principalID int64, hash string, expires time.Time) error
	ResetPassword(ctx context.Context, tokenHash string, newHash func(p *Principal) (string, error)) error
	APITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	Setting(ctx context.Context, key string, v any) (bool, error)
}

// Mailer sends one plain-text email.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Options are the auth service's settings from the configuration.
type Options struct {
	SessionIdle   time.Duration
	SessionMaxAge time.Duration
	BaseURL       string // for the links in reset mail
	LoginRate     int    // attempts per minute per IP and per username
}

// ResetLinkLifetime is how long an emailed reset link works.
const ResetLinkLifetime = time.Hour

// Service signs principals in and out and keeps their passwords.
type Service struct {
	store   Store
	clock   clock.Clock
	mailer  Mailer // nil: password reset by email is off
	opts    Options
	log     *slog.Logger
	byIP    *Limiter
	byUser  *Limiter
	resetIP *Limiter
	dummy   string // a hash to verify against for unknown users, so timing tells nothing
	bg      sync.WaitGroup
}

// NewService builds the auth service.
func NewService(store Store, clk clock.Clock, mailer Mailer, opts Options, log *slog.Logger) *Service {
	if opts.LoginRate <= 0 {
		opts.LoginRate = 10
	}
	dummy, _ := HashPassword(RandomToken(16))
	per := time.Minute / time.Duration(opts.LoginRate)
	return &Service{store: store, clock: clk, mailer: mailer, opts: opts, log: log,
		byIP: NewLimiter(clk, per, opts.LoginRate), byUser: NewLimiter(clk, per, opts.LoginRate),
		resetIP: NewLimiter(clk, time.Minute, 5), dummy: dummy}
}

// Wait blocks until background work (reset mail) is done.
func (s *Service) Wait() { s.bg.Wait() }

// ResetAvailable tells whether "forgot password" can send mail.
func (s *Service) ResetAvailable() bool { return s.mailer != nil }

// Security returns the security suite settings.
func (s *Service) Security(ctx context.Context) (SecuritySettings, error) {
	set := DefaultSecuritySettings()
	if _, err := s.store.Setting(ctx, SecuritySettingsKey, &set); err != nil {
		return set, err
	}
	return set, nil
}

// HashToken is how session, API and reset tokens are stored: a SHA-256, as
// the tokens are random enough that no slow hash is needed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SessionInfo is a signed-in session with the state of its password.
type SessionInfo struct {
	Principal              *Principal
	Session                *Session
	PasswordChangeRequired bool
	PasswordExpiresAt      *time.Time
	PasswordExpiresInDays  *int
	PasswordExpiryWarning  bool
}

// Login checks a username and password and opens a session. It returns the
// session token for the cookie.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*SessionInfo, string, error) {
	username = strings.TrimSpace(username)
	if username == "" || password == "" {
		f := apperr.FieldErrors{}
		if username == "" {
			f.Add("username", "field.required")
		}
		if password == "" {
			f.Add("password", "field.required")
		}
		return nil, "", f.Err()
	}
	if !s.byIP.Allow(ip) || !s.byUser.Allow(strings.ToLower(username)) {
		return nil, "", apperr.New(apperr.RateLimited, "auth.rate_limited")
	}
	sec, err := s.Security(ctx)
	if err != nil {
		return nil, "", err
	}
	p, err := s.store.PrincipalByUsername(ctx, username)
	if apperr.Is(err, apperr.NotFound) {
		VerifyPassword(s.dummy, password)
		return nil, "", apperr.New(apperr.Unauthorized, "auth.wrong_credentials")
	}
	if err != nil {
		return nil, "", err
	}
	if p.Locked() {
		return nil, "", apperr.New(apperr.Locked, "auth.locked")
	}
	if !VerifyPassword(p.PasswordHash, password) {
		lockAfter := 0
		if sec.Enabled {
			lockAfter = sec.MaxFailedLogins
		}
		locked, err := s.store.RecordLoginFailure(ctx, p.ID, lockAfter, ip)
		if err != nil {
			return nil, "", err
		}
		if locked {
			return nil, "", apperr.New(apperr.Locked, "auth.locked")
		}
		return nil, "", apperr.New(apperr.Unauthorized, "auth.wrong_credentials")
	}
	if p.Disabled {
		return nil, "", apperr.New(apperr.Forbidden, "auth.disabled")
	}
	token := RandomToken(32)
	now := s.clock.Now()
	sess, err := s.store.CreateSession(ctx, Session{
		TokenHash: HashToken(token), PrincipalID: p.ID, CSRFToken: RandomToken(24),
		ExpiresAt: s.expiry(now, now), IP: ip, UserAgent: truncate(userAgent, 300),
	})
	if err != nil {
		return nil, "", err
	}
	return s.describe(p, sess, sec), token, nil
}

// expiry is when a session last used at seen, opened at created, lapses.
func (s *Service) expiry(created, seen time.Time) time.Time {
	idle := seen.Add(s.opts.SessionIdle)
	hard := created.Add(s.opts.SessionMaxAge)
	if idle.Before(hard) {
		return idle
	}
	return hard
}

func (s *Service) describe(p *Principal, sess *Session, sec SecuritySettings) *SessionInfo {
	info := &SessionInfo{Principal: p, Session: sess}
	if !sec.Enabled {
		return info
	}
	info.PasswordChangeRequired = p.MustChangePassword
	if sec.PasswordMaxAgeDays > 0 && p.PasswordChangedAt != nil {
		exp := p.PasswordChangedAt.Add(time.Duration(sec.PasswordMaxAgeDays) * 24 * time.Hour)
		info.PasswordExpiresAt = &exp
		left := exp.Sub(s.clock.Now())
		days := int(left.Hours() / 24)
		if left <= 0 {
			days = 0
			info.PasswordChangeRequired = true
		}
		info.PasswordExpiresInDays = &days
		info.PasswordExpiryWarning = left > 0 && left <= time.Duration(sec.ExpiryWarningDays)*24*time.Hour
	}
	return info
}

// Authenticate resolves a session token from a cookie.
func (s *Service) Authenticate(ctx context.Context, token string) (*SessionInfo, error) {
	if token == "" {
		return nil, apperr.New(apperr.Unauthorized, "auth.required")
	}
	now := s.clock.Now()
	// The session, its principal and the security settings in one round
	// trip: every request of every desktop asks.
	sec := DefaultSecuritySettings()
	sess, p, err := s.store.SessionByTokenHash(ctx, HashToken(token), now, SecuritySettingsKey, &sec)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Unauthorized, "auth.required")
	}
	if err != nil {
		return nil, err
	}
	if p.DeletedAt != nil || p.Disabled || p.Locked() {
		return nil, apperr.New(apperr.Unauthorized, "auth.required")
	}
	// Sliding expiry, written at most once a minute to keep reads cheap.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt, sess.ExpiresAt = now, s.expiry(sess.CreatedAt, now)
		if err := s.store.TouchSession(ctx, sess.ID, now, sess.ExpiresAt); err != nil {
			return nil, err
		}
	}
	return s.describe(p, sess, sec), nil
}

// AuthenticateToken resolves an API token sent as Bearer; the token acts
// with the rights of the admin who created it.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*Principal, error) {
	t, err := s.store.APITokenByHash(ctx, HashToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Unauthorized, "auth.bad_token")
	}
	if err != nil {
		return nil, err
	}
	p, err := s.store.Principal(ctx, t.PrincipalID)
	if err != nil {
		return nil, err
	}
	if p.DeletedAt != nil || p.Disabled || p.Locked() {
		return nil, apperr.New(apperr.Unauthorized, "auth.bad_token")
	}
	now := s.clock.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, sess *Session) error {
	return s.store.DeleteSession(ctx, sess.ID, sess.PrincipalID)
}

// LogoutEverywhere ends every session of a principal.
func (s *Service) LogoutEverywhere(ctx context.Context, principalID, actor int64) error {
	return s.store.DeletePrincipalSessions(ctx, principalID, actor)
}

// ChangePassword is the owner changing his own password.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string) error {
	sec, err := s.Security(ctx)
	if err != nil {
		return err
	}
	if current == "" {
		return apperr.Field("current_password", "field.required")
	}
	if !VerifyPassword(p.PasswordHash, current) {
		return apperr.Field("current_password", "password.wrong")
	}
	hash, err := s.newPasswordHash(p, next, sec, "new_password")
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, p.ID, hash, false, eventlog.PasswordChanged, p.ID)
}

// newPasswordHash validates a new password against the policy and the old
// one, and hashes it.
func (s *Service) newPasswordHash(p *Principal, next string, sec SecuritySettings, field string) (string, error) {
	if err := ValidatePassword(field, next, sec.Enabled); err != nil {
		return "", err
	}
	if sec.Enabled && p != nil && VerifyPassword(p.PasswordHash, next) {
		return "", apperr.Field(field, RuleSameAsOld)
	}
	return HashPassword(next)
}

// SetPassword is an admin setting someone's password. With the suite on the
// owner must change it at the next sign-in; his open sessions end.
func (s *Service) SetPassword(ctx context.Context, target *Principal, password string, actor int64) error {
	sec, err := s.Security(ctx)
	if err != nil {
		return err
	}
	if err := ValidatePassword("password", password, sec.Enabled); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, target.ID, hash, sec.Enabled && target.ID != actor, eventlog.PasswordSet, actor); err != nil {
		return err
	}
	if target.ID == actor {
		return nil
	}
	return s.store.DeletePrincipalSessions(ctx, target.ID, actor)
}

// HashInitialPassword validates and hashes the password of a new account and
// tells whether its owner must change it at first sign-in.
func (s *Service) HashInitialPassword(ctx context.Context, field, password string) (hash string, mustChange bool, err error) {
	sec, err := s.Security(ctx)
	if err != nil {
		return "", false, err
	}
	if err := ValidatePassword(field, password, sec.Enabled); err != nil {
		return "", false, err
	}
	hash, err = HashPassword(password)
	return hash, sec.Enabled, err
}

// RequestReset emails a single-use link to every account with this address.
// It answers the same whether or not one exists, and sends in the background
// so the response time tells nothing either.
func (s *Service) RequestReset(ctx context.Context, email, ip string) error {
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") {
		return apperr.Field("email", "email.invalid")
	}
	if s.mailer == nil {
		return apperr.New(apperr.Unavailable, "reset.unavailable")
	}
	if !s.resetIP.Allow(ip) {
		return apperr.New(apperr.RateLimited, "auth.rate_limited")
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.sendResetLinks(ctx, email); err != nil {
			s.log.Error("password reset mail failed", "err", err)
		}
	}()
	return nil
}

func (s *Service) sendResetLinks(ctx context.Context, email string) error {
	list, err := s.store.PrincipalsByEmail(ctx, email)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range list {
		if p.Disabled {
			continue
		}
		token := RandomToken(32)
		if err := s.store.CreatePasswordReset(ctx, p.ID, HashToken(token), s.clock.Now().Add(ResetLinkLifetime)); err != nil {
			errs = append(errs, err)
			continue
		}
		link := s.opts.BaseURL + "/reset-password?token=" + token
		body := fmt.Sprintf("Hello %s,\n\nsomeone asked to reset the Switchboard password of the account %q.\n"+
			"Open this link within one hour to choose a new password:\n\n%s\n\n"+
			"If it was not you, ignore this message: your password stays as it is.\n\n"+
			"---\n\nCiao %s,\n\nè stato chiesto di reimpostare la password Switchboard dell'account %q.\n"+
			"Apri questo link entro un'ora per scegliere una nuova password:\n\n%s\n\n"+
			"Se non sei stato tu, ignora questo messaggio.\n",
			p.FullName, p.Username, link, p.FullName, p.Username, link)
		if err := s.mailer.Send(ctx, p.Email, "Switchboard password reset / Reimpostazione password", body); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ConfirmReset sets a new password through an emailed link.
func (s *Service) ConfirmReset(ctx context.Context, token, next string) error {
	if token == "" {
		return apperr.Field("token", "reset.token_invalid")
	}
	sec, err := s.Security(ctx)
	if err != nil {
		return err
	}
	if err := ValidatePassword("new_password", next, sec.Enabled); err != nil {
		return err
	}
	return s.store.ResetPassword(ctx, HashToken(token), func(p *Principal) (string, error) {
		return s.newPasswordHash(p, next, sec, "new_password")
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

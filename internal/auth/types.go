// Package auth holds who may sign in to Switchboard and how: principals
// (admins, users, agents), sessions, API tokens, the password policy of the
// security suite, lockout, expiry and the emailed reset link.
package auth

import "time"

// Kind is the role of a principal.
type Kind string

const (
	KindAdmin Kind = "admin" // all rights
	KindUser  Kind = "user"  // a supervisor; rights come from a user profile
	KindAgent Kind = "agent" // works in the Omni Desktop
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindAdmin || k == KindUser || k == KindAgent }

// Principal is anyone who can sign in.
type Principal struct {
	ID                 int64      `json:"id"`
	Kind               Kind       `json:"kind"`
	Username           string     `json:"username"`
	FullName           string     `json:"full_name"`
	Email              string     `json:"email"`
	PasswordHash       string     `json:"-"`
	PasswordChangedAt  *time.Time `json:"password_changed_at"`
	MustChangePassword bool       `json:"-"`
	FailedLogins       int        `json:"-"`
	LockedAt           *time.Time `json:"locked_at"`
	LockReason         string     `json:"lock_reason"`
	Disabled           bool       `json:"disabled"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	DeletedAt          *time.Time `json:"deleted_at,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

// Locked reports whether the account is locked out.
func (p *Principal) Locked() bool { return p.LockedAt != nil }

// Session is a signed-in browser. Only a hash of its token is stored.
type Session struct {
	ID          int64
	TokenHash   string
	PrincipalID int64
	CSRFToken   string
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
	IP          string
	UserAgent   string
}

// APIToken lets an integration call the API as Bearer; only a hash is stored
// and the token itself is shown once, when created.
type APIToken struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Prefix      string     `json:"prefix"`
	TokenHash   string     `json:"-"`
	PrincipalID int64      `json:"-"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
	RevokedAt   *time.Time `json:"-"`
}

// SecuritySettings is the global security suite configuration.
type SecuritySettings struct {
	Enabled            bool `json:"enabled"`
	MaxFailedLogins    int  `json:"max_failed_logins"`
	PasswordMaxAgeDays int  `json:"password_max_age_days"`
	ExpiryWarningDays  int  `json:"expiry_warning_days"`
	MaskCharacters     int  `json:"mask_characters"`
}

// DefaultSecuritySettings is what a new installation starts with: the suite on.
func DefaultSecuritySettings() SecuritySettings {
	return SecuritySettings{Enabled: true, MaxFailedLogins: 5, PasswordMaxAgeDays: 90, ExpiryWarningDays: 15, MaskCharacters: 4}
}

// SecuritySettingsKey is the settings-table key of SecuritySettings.
const SecuritySettingsKey = "security"

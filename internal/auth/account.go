package auth

import (
	"net/mail"
	"regexp"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9._]+$`)

// NewAccount is the input for creating an admin, user or agent.
type NewAccount struct {
	Kind     Kind   `json:"kind"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Normalize trims the free-text fields.
func (a *NewAccount) Normalize() {
	a.Username = strings.TrimSpace(a.Username)
	a.FullName = strings.TrimSpace(a.FullName)
	a.Email = strings.TrimSpace(a.Email)
}

// Validate checks the fields of a new account, except the password policy,
// which depends on the security settings.
func (a *NewAccount) Validate(f apperr.FieldErrors) {
	ValidateUsername(f, a.Username)
	if a.FullName == "" {
		f.Add("full_name", "field.required")
	} else if len(a.FullName) > 200 {
		f.Add("full_name", "field.too_long", 200)
	}
	ValidateEmail(f, "email", a.Email)
	if !a.Kind.Valid() {
		f.Add("kind", "kind.invalid")
	}
}

// ValidateUsername: letters, digits, '.' and '_' only, at most 64 characters.
func ValidateUsername(f apperr.FieldErrors, username string) {
	switch {
	case username == "":
		f.Add("username", "field.required")
	case len(username) > 64:
		f.Add("username", "field.too_long", 64)
	case !usernameRE.MatchString(username):
		f.Add("username", "username.invalid")
	}
}

// ValidateEmail accepts an empty address or one plain address.
func ValidateEmail(f apperr.FieldErrors, field, email string) {
	if email == "" {
		return
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		f.Add(field, "email.invalid")
	}
}

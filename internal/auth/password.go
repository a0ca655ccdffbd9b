package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// argon2id parameters (RFC 9106's second recommended option, with 64 MiB).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-format hash, in
// constant time. An empty or malformed hash never matches.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// SpecialCharacters are the symbols the security suite accepts as "special".
const SpecialCharacters = "~!@#$%^&-_=+[{]}"

// PasswordRules describes the policy for clients that check as the user types.
type PasswordRules struct {
	MinLength int    `json:"min_length"`
	Lowercase bool   `json:"lowercase"`
	Uppercase bool   `json:"uppercase"`
	Digit     bool   `json:"digit"`
	Special   string `json:"special"`
}

// SuiteRules is the security suite's password policy.
var SuiteRules = PasswordRules{MinLength: 8, Lowercase: true, Uppercase: true, Digit: true, Special: SpecialCharacters}

// maxPasswordLength bounds the work argon2 does on attacker-chosen input.
const maxPasswordLength = 256

// ErrPasswordEmpty and friends are the message keys of broken rules.
const (
	RuleEmpty     = "password.empty"
	RuleTooLong   = "password.too_long"
	RuleTooShort  = "password.too_short"
	RuleLowercase = "password.lowercase"
	RuleUppercase = "password.uppercase"
	RuleDigit     = "password.digit"
	RuleSpecial   = "password.special"
	RuleSameAsOld = "password.same_as_old"
)

// CheckPassword returns the key of the first rule the password breaks, or "".
// With the suite off only emptiness and the length cap apply.
func CheckPassword(password string, suite bool) (rule string, args []any) {
	if password == "" {
		return RuleEmpty, nil
	}
	if len(password) > maxPasswordLength {
		return RuleTooLong, []any{maxPasswordLength}
	}
	if !suite {
		return "", nil
	}
	if len([]rune(password)) < SuiteRules.MinLength {
		return RuleTooShort, []any{SuiteRules.MinLength}
	}
	var lower, upper, digit, special bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case strings.ContainsRune(SpecialCharacters, r):
			special = true
		}
	}
	switch {
	case !lower:
		return RuleLowercase, nil
	case !upper:
		return RuleUppercase, nil
	case !digit:
		return RuleDigit, nil
	case !special:
		return RuleSpecial, []any{SpecialCharacters}
	}
	return "", nil
}

// ValidatePassword is CheckPassword as an Invalid error on field.
func ValidatePassword(field, password string, suite bool) error {
	if rule, args := CheckPassword(password, suite); rule != "" {
		return apperr.Field(field, rule, args...)
	}
	return nil
}

// RandomToken returns n random bytes, URL-safe base64 encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(errors.New("auth: no randomness: " + err.Error()))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// GeneratePassword returns a random password that satisfies the suite policy.
func GeneratePassword() string {
	for {
		p := RandomToken(12) + "-"
		if rule, _ := CheckPassword(p, true); rule == "" {
			return p
		}
	}
}

// Package whatsapp holds the rules of the WhatsApp channel: its accounts
// (business numbers carried by Meta's Cloud API or by Twilio), the
// providers' webhook payloads and signatures, and the media they carry.
// It knows nothing of storage or HTTP routing: the store keeps accounts,
// internal/httpapi serves the webhooks.
package whatsapp

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// Providers that carry a WhatsApp business number.
const (
	Meta   = "meta"   // Meta's WhatsApp Cloud API (Graph API)
	Twilio = "twilio" // Twilio's Messaging API
)

// The providers' real API addresses; an account's APIBaseURL replaces them
// (a local fake in tests and benches).
const (
	MetaBaseURL   = "https://graph.facebook.com"
	TwilioBaseURL = "https://api.twilio.com"
	// GraphVersion is the Graph API version Switchboard speaks.
	GraphVersion = "v21.0"
)

// Secrets are an account's credentials. They are write-only: the API never
// returns them (Account's JSON says only whether each is set) and nothing
// logs them.
type Secrets struct {
	AccessToken string // Meta: the system user's token for the Graph API
	AppSecret   string // Meta: signs the webhooks (X-Hub-Signature-256)
	VerifyToken string // Meta: the token of the webhook's GET handshake
	AuthToken   string // Twilio: basic auth and webhook signatures
}

// Account is a WhatsApp business number: an account of channel whatsapp
// (queue, default list, mandatory disposition, contact creation) with its
// provider's settings. Fields of the other provider are kept empty.
type Account struct {
	conversation.Account
	Provider    string `json:"provider"`
	PhoneNumber string `json:"phone_number"` // the business number, E.164
	// Meta
	PhoneNumberID     string `json:"phone_number_id"`
	BusinessAccountID string `json:"business_account_id"`
	// Twilio
	AccountSID string `json:"account_sid"`
	// Sender is Twilio's From: "whatsapp:+<number>" (the business number
	// by default) or a messaging service SID (MG…).
	Sender string `json:"sender"`
	// WebhookKey is the random part of the account's webhook URL.
	WebhookKey string `json:"webhook_key"`
	// APIBaseURL replaces the provider's API address when set.
	APIBaseURL string  `json:"api_base_url"`
	Secrets    Secrets `json:"-"`
}

// MarshalJSON shows the account with, instead of each secret, whether it
// is set.
func (a Account) MarshalJSON() ([]byte, error) {
	type plain Account
	return json.Marshal(struct {
		plain
		AccessTokenSet bool `json:"access_token_set"`
		AppSecretSet   bool `json:"app_secret_set"`
		VerifyTokenSet bool `json:"verify_token_set"`
		AuthTokenSet   bool `json:"auth_token_set"`
	}{plain(a), a.Secrets.AccessToken != "", a.Secrets.AppSecret != "", a.Secrets.VerifyToken != "", a.Secrets.AuthToken != ""})
}

// NewAccount returns a new account's defaults with a fresh webhook key.
func NewAccount() *Account {
	return &Account{Account: conversation.Account{Channel: staff.WhatsApp, Enabled: true}, WebhookKey: NewWebhookKey()}
}

// NewWebhookKey returns a random URL-safe key (32 characters): knowing an
// account's webhook URL is not enough to post to it (signatures are), but
// a guessable URL would let anyone probe which accounts exist.
func NewWebhookKey() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("whatsapp: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// APIBase is where the account's provider API is reached, without a
// trailing slash.
func (a *Account) APIBase() string {
	if a.APIBaseURL != "" {
		return a.APIBaseURL
	}
	if a.Provider == Twilio {
		return TwilioBaseURL
	}
	return MetaBaseURL
}

var (
	e164Re        = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	digitsRe      = regexp.MustCompile(`^[0-9]{1,30}$`)
	accountSIDRe  = regexp.MustCompile(`^AC[0-9a-f]{32}$`)
	serviceSIDRe  = regexp.MustCompile(`^MG[0-9a-f]{32}$`)
	phoneNoiseRep = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "", "\u00a0", "")
)

// NormaliseNumber writes a phone number as E.164 (+ and digits) and
// reports whether it is one. Separators people type are dropped; a
// number without its + is taken as international, which is how WhatsApp
// names its users (wa_id).
func NormaliseNumber(s string) (string, bool) {
	s = phoneNoiseRep.Replace(strings.TrimSpace(s))
	if s != "" && s[0] != '+' {
		s = "+" + s
	}
	return s, e164Re.MatchString(s)
}

// ContactKey is how a WhatsApp interaction names its customer (the
// interaction's contact_key): his number in E.164. The account tells the
// channel, so the key needs no prefix, and the Contact Manager and the
// masking of sensitive data both read it as the phone number it is.
func ContactKey(number string) string {
	n, _ := NormaliseNumber(number)
	return n
}

// Validate normalises the account and checks it, naming each bad field;
// the fields the provider needs are required, the other provider's are
// cleared. That the queue serves WhatsApp is checked by the store.
func (a *Account) Validate(f apperr.FieldErrors) {
	a.Channel = staff.WhatsApp
	a.Account.Validate(f)
	a.Provider = strings.ToLower(strings.TrimSpace(a.Provider))
	var ok bool
	switch a.PhoneNumber, ok = NormaliseNumber(a.PhoneNumber); {
	case a.PhoneNumber == "":
		f.Add("phone_number", "field.required")
	case !ok:
		f.Add("phone_number", "whatsapp.number_invalid")
	}
	a.APIBaseURL = strings.TrimRight(strings.TrimSpace(a.APIBaseURL), "/")
	if a.APIBaseURL != "" {
		if u, err := url.Parse(a.APIBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			f.Add("api_base_url", "whatsapp.url_invalid")
		}
	}
	a.trim()
	switch a.Provider {
	case Meta:
		a.AccountSID, a.Sender, a.Secrets.AuthToken = "", "", ""
		requireID(f, "phone_number_id", a.PhoneNumberID)
		requireID(f, "business_account_id", a.BusinessAccountID)
		requireSecret(f, "access_token", a.Secrets.AccessToken)
		requireSecret(f, "app_secret", a.Secrets.AppSecret)
		requireSecret(f, "verify_token", a.Secrets.VerifyToken)
	case Twilio:
		a.PhoneNumberID, a.BusinessAccountID = "", ""
		a.Secrets.AccessToken, a.Secrets.AppSecret, a.Secrets.VerifyToken = "", "", ""
		switch {
		case a.AccountSID == "":
			f.Add("account_sid", "field.required")
		case !accountSIDRe.MatchString(a.AccountSID):
			f.Add("account_sid", "whatsapp.account_sid_invalid")
		}
		requireSecret(f, "auth_token", a.Secrets.AuthToken)
		a.validateSender(f)
	case "":
		f.Add("provider", "field.required")
	default:
		f.Add("provider", "whatsapp.provider_invalid")
	}
}

func (a *Account) trim() {
	for _, p := range []*string{&a.PhoneNumberID, &a.BusinessAccountID, &a.AccountSID, &a.Sender,
		&a.Secrets.AccessToken, &a.Secrets.AppSecret, &a.Secrets.VerifyToken, &a.Secrets.AuthToken} {
		*p = strings.TrimSpace(*p)
	}
}

// validateSender defaults Twilio's sender to the business number.
func (a *Account) validateSender(f apperr.FieldErrors) {
	if a.Sender == "" && a.PhoneNumber != "" {
		a.Sender = "whatsapp:" + a.PhoneNumber
		return
	}
	if serviceSIDRe.MatchString(a.Sender) {
		return
	}
	if n, ok := strings.CutPrefix(a.Sender, "whatsapp:"); ok {
		if norm, ok := NormaliseNumber(n); ok {
			a.Sender = "whatsapp:" + norm
			return
		}
	}
	f.Add("sender", "whatsapp.sender_invalid")
}

func requireID(f apperr.FieldErrors, field, v string) {
	switch {
	case v == "":
		f.Add(field, "field.required")
	case !digitsRe.MatchString(v):
		f.Add(field, "whatsapp.id_invalid")
	}
}

func requireSecret(f apperr.FieldErrors, field, v string) {
	switch {
	case v == "":
		f.Add(field, "field.required")
	case len(v) > 1000:
		f.Add(field, "field.too_long", 1000)
	}
}

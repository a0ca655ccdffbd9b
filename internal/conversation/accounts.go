package conversation

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// AccountChannels are the channels an account (an entry point) can be of;
// voice has no accounts.
var AccountChannels = []staff.Channel{staff.Chat, staff.WhatsApp, staff.SMS, staff.Email, staff.OpenChannel, staff.Fax}

// ValidAccountChannel reports whether c is an account channel.
func ValidAccountChannel(c staff.Channel) bool {
	for _, a := range AccountChannels {
		if a == c {
			return true
		}
	}
	return false
}

// Account is a channel entry point: a chat website, a WhatsApp or SMS
// number, an email mailbox, an open-channel integration, a fax line. Its
// name is unique ignoring case across every channel. New interactions on it
// enter its queue (of the same channel); new contacts go into its default
// list.
type Account struct {
	ID                   int64         `json:"id"`
	Channel              staff.Channel `json:"channel"`
	Name                 string        `json:"name"`
	Enabled              bool          `json:"enabled"`
	QueueID              *int64        `json:"queue_id"`
	DefaultListID        *int64        `json:"default_list_id"`
	MandatoryDisposition bool          `json:"mandatory_disposition"` // closing needs a disposition
	CreatedAt            time.Time     `json:"created_at"`
	UpdatedAt            time.Time     `json:"updated_at"`
	// CreateContacts is the account's contact-manager trigger: an inbound
	// interaction from an unknown subject creates a contact in the default
	// list.
	CreateContacts bool `json:"create_contacts"`
}

// AccountRef is an account as selectors list it.
type AccountRef struct {
	ID      int64         `json:"id"`
	Channel staff.Channel `json:"channel"`
	Name    string        `json:"name"`
	Enabled bool          `json:"enabled"`
}

// Validate trims the account's name and checks the common fields. That the
// queue (of the account's channel) and the list exist is checked by the
// store.
func (a *Account) Validate(f apperr.FieldErrors) {
	a.Name = strings.TrimSpace(a.Name)
	validateText(f, "name", a.Name, 100, true)
	if !ValidAccountChannel(a.Channel) {
		f.Add("channel", "channel.invalid")
	}
	if a.CreateContacts && a.DefaultListID == nil {
		f.Add("default_list_id", "account.needs_default_list")
	}
}

// Form field types of a website's forms.
const (
	FieldText     = "text"
	FieldEmail    = "email"
	FieldPhone    = "phone"
	FieldTextarea = "textarea"
	FieldSelect   = "select"
)

var formFieldTypes = []string{FieldText, FieldEmail, FieldPhone, FieldTextarea, FieldSelect}

// FormField is one field of a website's online (pre-chat) or offline form.
// Options are the choices of a select field and empty for the others.
type FormField struct {
	Name     string   `json:"name"` // identifier: a-z, 0-9, _; unique in its form
	Label    string   `json:"label"`
	Type     string   `json:"type"`
	Required bool     `json:"required"`
	Options  []string `json:"options"`
}

// Website limits.
const (
	MaxOrigins        = 50
	MaxFormFields     = 20
	MaxFieldOptions   = 50
	MinAttachmentMB   = 1
	MaxAttachmentMB   = 25
	defaultOfflineMsg = "We are offline. Leave us a message and we will answer as soon as we can."
)

// Website is a chat account with the settings of its widget. The widget
// key, sent by the snippet, identifies the website; the widget only loads
// on the allowed origins.
type Website struct {
	Account
	WidgetKey          string      `json:"widget_key"`
	AllowedOrigins     []string    `json:"allowed_origins"`
	Title              string      `json:"title"`
	Colour             string      `json:"colour"` // #rrggbb, lowercase
	OnlineForm         []FormField `json:"online_form"`
	OfflineForm        []FormField `json:"offline_form"`
	OfflineMessage     string      `json:"offline_message"`
	AttachmentsEnabled bool        `json:"attachments_enabled"`
	MaxAttachmentMB    int         `json:"max_attachment_mb"`
}

// NewWebsite returns a website with the defaults of a new one and a fresh
// widget key.
func NewWebsite() *Website {
	return &Website{
		Account:        Account{Channel: staff.Chat, Enabled: true},
		WidgetKey:      NewWidgetKey(),
		AllowedOrigins: []string{},
		Title:          "Chat with us",
		Colour:         "#2563eb",
		OnlineForm: []FormField{
			{Name: "name", Label: "Name", Type: FieldText, Required: true, Options: []string{}},
			{Name: "email", Label: "Email", Type: FieldEmail, Required: true, Options: []string{}},
		},
		OfflineForm: []FormField{
			{Name: "name", Label: "Name", Type: FieldText, Required: true, Options: []string{}},
			{Name: "email", Label: "Email", Type: FieldEmail, Required: true, Options: []string{}},
			{Name: "message", Label: "Message", Type: FieldTextarea, Required: true, Options: []string{}},
		},
		OfflineMessage:     defaultOfflineMsg,
		AttachmentsEnabled: true,
		MaxAttachmentMB:    10,
	}
}

// NewWidgetKey returns a random URL-safe widget key (32 characters).
func NewWidgetKey() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("conversation: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

var fieldNameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Validate normalises the website (trimmed text, lowercase colour and
// origins) and checks every setting, naming each problem by field, such as
// "allowed_origins.3" or "online_form.2.name".
func (w *Website) Validate(f apperr.FieldErrors) {
	w.Channel = staff.Chat
	w.Account.Validate(f)
	w.Title = strings.TrimSpace(w.Title)
	validateText(f, "title", w.Title, 100, true)
	w.Colour = strings.ToLower(strings.TrimSpace(w.Colour))
	switch {
	case w.Colour == "":
		f.Add("colour", "field.required")
	case !colourRe.MatchString(w.Colour):
		f.Add("colour", "colour.invalid")
	}
	w.OfflineMessage = strings.TrimSpace(w.OfflineMessage)
	validateText(f, "offline_message", w.OfflineMessage, 1000, false)
	if w.MaxAttachmentMB < MinAttachmentMB || w.MaxAttachmentMB > MaxAttachmentMB {
		f.Add("max_attachment_mb", "number.range", MinAttachmentMB, MaxAttachmentMB)
	}
	w.validateOrigins(f)
	w.OnlineForm = validateForm(f, "online_form", w.OnlineForm)
	w.OfflineForm = validateForm(f, "offline_form", w.OfflineForm)
}

func (w *Website) validateOrigins(f apperr.FieldErrors) {
	if w.AllowedOrigins == nil {
		w.AllowedOrigins = []string{}
	}
	if len(w.AllowedOrigins) > MaxOrigins {
		f.Add("allowed_origins", "field.too_many", MaxOrigins)
		return
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(w.AllowedOrigins))
	for i, o := range w.AllowedOrigins {
		norm, ok := NormaliseOrigin(o)
		if !ok {
			f.Add("allowed_origins."+strconv.Itoa(i), "origin.invalid")
			continue
		}
		if !seen[norm] {
			seen[norm] = true
			out = append(out, norm)
		}
	}
	w.AllowedOrigins = out
}

// NormaliseOrigin checks that o is an origin, http(s)://host[:port] with no
// path, query or credentials, and returns it in lowercase without a trailing
// slash.
func NormaliseOrigin(o string) (string, bool) {
	o = strings.ToLower(strings.TrimSpace(o))
	o = strings.TrimSuffix(o, "/")
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(o, "?#") {
		return "", false
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", false
		}
	}
	return u.Scheme + "://" + u.Host, true
}

// validateForm checks the fields of one form and returns them normalised.
func validateForm(f apperr.FieldErrors, form string, fields []FormField) []FormField {
	if fields == nil {
		return []FormField{}
	}
	if len(fields) > MaxFormFields {
		f.Add(form, "field.too_many", MaxFormFields)
		return fields
	}
	seen := map[string]bool{}
	for i := range fields {
		ff, at := &fields[i], form+"."+strconv.Itoa(i)+"."
		ff.Name, ff.Label = strings.TrimSpace(ff.Name), strings.TrimSpace(ff.Label)
		ff.Type = strings.ToLower(strings.TrimSpace(ff.Type))
		switch {
		case ff.Name == "":
			f.Add(at+"name", "field.required")
		case len(ff.Name) > 50:
			f.Add(at+"name", "field.too_long", 50)
		case !fieldNameRe.MatchString(ff.Name):
			f.Add(at+"name", "form_field.name_invalid")
		case seen[ff.Name]:
			f.Add(at+"name", "form_field.name_taken")
		}
		seen[ff.Name] = true
		validateText(f, at+"label", ff.Label, 100, true)
		valid := false
		for _, t := range formFieldTypes {
			valid = valid || ff.Type == t
		}
		if !valid {
			f.Add(at+"type", "form_field.type_invalid")
		}
		if ff.Options == nil {
			ff.Options = []string{}
		}
		for j := range ff.Options {
			ff.Options[j] = strings.TrimSpace(ff.Options[j])
		}
		switch {
		case ff.Type == FieldSelect && len(ff.Options) == 0:
			f.Add(at+"options", "form_field.options_required")
		case ff.Type != FieldSelect && len(ff.Options) > 0:
			f.Add(at+"options", "form_field.options_select_only")
		case len(ff.Options) > MaxFieldOptions:
			f.Add(at+"options", "field.too_many", MaxFieldOptions)
		default:
			for j, o := range ff.Options {
				validateText(f, at+"options."+strconv.Itoa(j), o, 100, true)
			}
		}
	}
	return fields
}

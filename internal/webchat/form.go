package webchat

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/conversation"
)

// Form limits.
const (
	MaxValueChars = 1000 // one submitted value
	// maxSubmitted bounds how many fields a submission may carry, so a
	// flood of unknown names costs nothing.
	maxSubmitted = conversation.MaxFormFields * 2
	// ContactNameChars is how much of the name field becomes the contact name.
	ContactNameChars = 200
)

// Answer is one field the customer filled, with the label the form showed
// him, kept as it was when he submitted it (an admin may change the form
// later).
type Answer struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Value string `json:"value"`
	// Type is the field's type when he answered (text, email, phone…), so
	// masking knows an email or phone number; "" in chats stored before.
	Type string `json:"type,omitempty"`
}

// MaskSensitive hides the customer's name, email and phone number in a
// form for agents who may not see them (contacts.Masker).
func (a *Answer) MaskSensitive(mask func(kind, value string) string) {
	switch {
	case a.Type == conversation.FieldEmail || a.Type == "" && a.Name == "email":
		a.Value = mask(contacts.MaskEmail, a.Value)
	case a.Type == conversation.FieldPhone || a.Type == "" && a.Name == "phone":
		a.Value = mask(contacts.MaskPhone, a.Value)
	case a.Name == "name":
		a.Value = mask(contacts.MaskName, a.Value)
	}
}

// Answers are a submitted form in the form's order.
type Answers []Answer

// Value returns the answer to a field ("" when not answered).
func (a Answers) Value(name string) string {
	for _, x := range a {
		if x.Name == name {
			return x.Value
		}
	}
	return ""
}

// MarshalJSON writes the answers as an object, name → {label, value}, in
// the form's order (JSON objects keep their key order for a browser), so
// the desktop can both look a field up and list them as the customer saw
// them; nil is null.
func (a Answers) MarshalJSON() ([]byte, error) {
	if a == nil { // no form at all (not a chat), unlike an empty one
		return []byte("null"), nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, x := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(x.Name)
		v, err := json.Marshal(struct {
			Label string `json:"label"`
			Value string `json:"value"`
		}{x.Label, x.Value})
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// phoneRe accepts what people type as a phone number: digits with an
// optional leading +, and spaces, dots, dashes or brackets between them.
var phoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ().\-]*[0-9]$`)

// CheckFields checks what a customer submitted against a form: every
// required field answered, emails and phones well formed, select values
// among the options, no field the form does not have, each value at most
// MaxValueChars. Problems are named "fields.<name>". Values are trimmed;
// optional fields left empty are dropped.
func CheckFields(form []conversation.FormField, values map[string]string) (Answers, error) {
	f := apperr.FieldErrors{}
	if len(values) > maxSubmitted {
		f.Add("fields", "field.too_many", maxSubmitted)
		return nil, f.Err()
	}
	known := map[string]bool{}
	for _, ff := range form {
		known[ff.Name] = true
	}
	for name := range values {
		if !known[name] {
			if len(name) > 64 { // it is echoed in the error: keep that short
				name = name[:64]
			}
			f.Add("fields."+name, "form.unknown_field")
		}
	}
	out := Answers{}
	for _, ff := range form {
		key := "fields." + ff.Name
		v := strings.TrimSpace(values[ff.Name])
		switch {
		case v == "":
			if ff.Required {
				f.Add(key, "field.required")
			}
			continue
		case utf8.RuneCountInString(v) > MaxValueChars:
			f.Add(key, "field.too_long", MaxValueChars)
			continue
		}
		switch ff.Type {
		case conversation.FieldEmail:
			auth.ValidateEmail(f, key, v)
		case conversation.FieldPhone:
			if !validPhone(v) {
				f.Add(key, "phone.invalid")
			}
		case conversation.FieldSelect:
			if !slices.Contains(ff.Options, v) {
				f.Add(key, "form.not_an_option")
			}
		}
		out = append(out, Answer{Name: ff.Name, Label: ff.Label, Value: v, Type: ff.Type})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// validPhone wants the shape of a phone number and 5 to 20 digits.
func validPhone(v string) bool {
	if !phoneRe.MatchString(v) {
		return false
	}
	digits := 0
	for _, r := range v {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits >= 5 && digits <= 20
}

// ContactName is the name the contact center calls the customer by: the
// form's "name" field when it has one.
func ContactName(a Answers) string {
	n := a.Value("name")
	if utf8.RuneCountInString(n) > ContactNameChars {
		n = string([]rune(n)[:ContactNameChars])
	}
	return n
}

// ContactKey names the customer within the website, so his chats are one
// conversation: the first email he gave (in lowercase), else the first
// phone number (its digits, with a leading + kept); "" when he gave
// neither.
func ContactKey(form []conversation.FormField, a Answers) string {
	for _, typ := range []string{conversation.FieldEmail, conversation.FieldPhone} {
		for _, ff := range form {
			v := a.Value(ff.Name)
			if ff.Type != typ || v == "" {
				continue
			}
			if typ == conversation.FieldEmail {
				return strings.ToLower(v)
			}
			return phoneKey(v)
		}
	}
	return ""
}

func phoneKey(v string) string {
	var b strings.Builder
	for i, r := range v {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Emails and Phones are the email addresses and phone numbers a customer
// gave in a form (the Contact Manager finds him by them).
func (a Answers) Emails() []string { return a.ofType(conversation.FieldEmail) }

// Phones: see Emails.
func (a Answers) Phones() []string { return a.ofType(conversation.FieldPhone) }

func (a Answers) ofType(typ string) []string {
	var out []string
	for _, x := range a {
		if x.Type == typ && x.Value != "" {
			out = append(out, x.Value)
		}
	}
	return out
}

// Package contacts holds the rules of the Contact Manager: contacts in
// lists with list-specific custom fields, channel identities, phone
// numbers in E.164, who may use which list, the search conditions, the
// masking of sensitive data, and CSV import rows. It has no SQL and no
// HTTP; the store and the API call it.
package contacts

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
)

// Access is what someone may do with the contacts of a list.
type Access string

const (
	NoAccess Access = ""
	// Read lets one search the list and open its contacts.
	Read Access = "read"
	// Edit also lets one create, change, merge and copy its contacts.
	Edit Access = "edit"
)

// CanRead reports whether the access lets one see the list's contacts.
func (a Access) CanRead() bool { return a == Read || a == Edit }

// CanEdit reports whether the access lets one change the list's contacts.
func (a Access) CanEdit() bool { return a == Edit }

// ValidAgentAccess reports whether a is an access an agent can be given.
func ValidAgentAccess(a Access) bool { return a == Read || a == Edit }

// Limits of a contact.
const (
	MaxNameChars     = 100
	MaxCompanyChars  = 200
	MaxTextChars     = 1000 // a text custom field
	MaxIdentityChars = 200
	MaxIdentities    = 20
	MaxTags          = 50
	MaxFields        = 50 // custom fields of a list
	MaxOptions       = 100
)

// Custom field types.
const (
	TypeText     = "text"
	TypeNumber   = "number"
	TypeDate     = "date"
	TypeSelect   = "select"
	TypeCheckbox = "checkbox"
)

// FieldTypes are the types a custom field can have.
var FieldTypes = []string{TypeText, TypeNumber, TypeDate, TypeSelect, TypeCheckbox}

// Field is a custom field of a list. Key names it in the API, in searches
// and in CSV mappings; Options are a select's choices.
type Field struct {
	ID        int64     `json:"id"`
	ListID    int64     `json:"list_id"`
	Key       string    `json:"key"`
	Label     string    `json:"label"`
	Type      string    `json:"type"`
	Required  bool      `json:"required"`
	Options   []string  `json:"options"`
	Position  int       `json:"position"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var fieldKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// StandardFields are the columns every contact has; a custom field may not
// take one of their names.
var StandardFields = []string{"first_name", "last_name", "company", "phone", "mobile", "fax", "email"}

// Validate trims and checks a field definition.
func (f *Field) Validate(fe apperr.FieldErrors) {
	f.Key, f.Label = strings.TrimSpace(f.Key), strings.TrimSpace(f.Label)
	switch {
	case !fieldKeyRe.MatchString(f.Key):
		fe.Add("key", "field_key.invalid")
	case slices.Contains(StandardFields, f.Key) || f.Key == "tags" || f.Key == "list" || f.Key == "id":
		fe.Add("key", "field_key.reserved")
	}
	if f.Label == "" {
		fe.Add("label", "field.required")
	} else if utf8.RuneCountInString(f.Label) > 100 {
		fe.Add("label", "field.too_long", 100)
	}
	if !slices.Contains(FieldTypes, f.Type) {
		fe.Add("type", "field_type.invalid")
	}
	if f.Type != TypeSelect {
		f.Options = []string{}
	}
	var opts []string
	for _, o := range f.Options {
		if o = strings.TrimSpace(o); o != "" && !slices.Contains(opts, o) {
			opts = append(opts, o)
		}
	}
	f.Options = opts
	if f.Options == nil {
		f.Options = []string{}
	}
	switch {
	case f.Type == TypeSelect && len(f.Options) == 0:
		fe.Add("options", "field.required")
	case len(f.Options) > MaxOptions:
		fe.Add("options", "field.too_many", MaxOptions)
	}
	for _, o := range f.Options {
		if utf8.RuneCountInString(o) > 100 {
			fe.Add("options", "field.too_long", 100)
			break
		}
	}
	if f.Position < 0 || f.Position > 10000 {
		fe.Add("position", "number.range", 0, 10000)
	}
}

// Parse turns a value given for the field into the text stored for it: a
// JSON value (a number for a number, true/false for a checkbox) or text as
// a CSV file gives it. "" (or nil) means no value. A bad value returns the
// message saying why.
func (f *Field) Parse(v any) (string, *apperr.Message) {
	var s string
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		s = strings.TrimSpace(x)
	case float64:
		if f.Type != TypeNumber {
			return "", &apperr.Message{Key: "value.type"}
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case json.Number:
		s = x.String()
	case bool:
		if f.Type != TypeCheckbox {
			return "", &apperr.Message{Key: "value.type"}
		}
		return strconv.FormatBool(x), nil
	default:
		return "", &apperr.Message{Key: "value.type"}
	}
	if s == "" {
		return "", nil
	}
	switch f.Type {
	case TypeText:
		if utf8.RuneCountInString(s) > MaxTextChars {
			return "", &apperr.Message{Key: "field.too_long", Args: []any{MaxTextChars}}
		}
		return s, nil
	case TypeNumber:
		n, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil || n != n || n > 1e15 || n < -1e15 {
			return "", &apperr.Message{Key: "value.number"}
		}
		return strconv.FormatFloat(n, 'f', -1, 64), nil
	case TypeDate:
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return "", &apperr.Message{Key: "value.date"}
		}
		return d.Format(time.DateOnly), nil
	case TypeSelect:
		for _, o := range f.Options {
			if strings.EqualFold(o, s) {
				return o, nil
			}
		}
		return "", &apperr.Message{Key: "form.not_an_option"}
	case TypeCheckbox:
		switch strings.ToLower(s) {
		case "true", "1", "yes", "y", "x", "si", "sì":
			return "true", nil
		case "false", "0", "no", "n", "":
			return "false", nil
		}
		return "", &apperr.Message{Key: "value.checkbox"}
	}
	return "", &apperr.Message{Key: "value.type"}
}

// Value is a stored text as the API shows it: a number for a number field,
// a boolean for a checkbox, text otherwise.
func (f *Field) Value(stored string) any {
	switch f.Type {
	case TypeNumber:
		if n, err := strconv.ParseFloat(stored, 64); err == nil {
			return n
		}
	case TypeCheckbox:
		return stored == "true"
	}
	return stored
}

// TagRef is a tag on a contact.
type TagRef struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Colour string `json:"colour"`
}

// Identity kinds: the ways a channel names the customer.
const (
	KindWhatsApp    = "whatsapp"
	KindPhone       = "phone"
	KindEmail       = "email"
	KindChat        = "chat" // a chat visitor without an email or phone
	KindOpenChannel = "openchannel"
)

// IdentityKinds are the kinds of identity a contact can have.
var IdentityKinds = []string{KindWhatsApp, KindPhone, KindEmail, KindChat, KindOpenChannel}

// Identity is how one channel names a contact, normalised: a WhatsApp id
// or phone number in E.164, an email address in lowercase, a chat visitor
// or open-channel handle as given. One identity belongs to one contact.
type Identity struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// MaskSensitive hides the identity's value by its kind (see Masker).
func (i *Identity) MaskSensitive(mask func(kind, value string) string) {
	switch i.Kind {
	case KindWhatsApp, KindPhone:
		i.Value = mask(MaskPhone, i.Value)
	case KindEmail:
		i.Value = mask(MaskEmail, i.Value)
	default:
		i.Value = mask(MaskHandle, i.Value)
	}
}

// Contact is a customer record in a list. Phone numbers are in E.164 and
// the email in lowercase; Fields are the custom values keyed by field key
// (typed as the field's Value). The mask tags name what masking hides from
// agents who may not see it.
type Contact struct {
	ID         int64          `json:"id"`
	ListID     int64          `json:"list_id"`
	ListName   string         `json:"list_name"`
	FirstName  string         `json:"first_name" mask:"name"`
	LastName   string         `json:"last_name" mask:"name"`
	Company    string         `json:"company"`
	Phone      string         `json:"phone" mask:"phone"`
	Mobile     string         `json:"mobile" mask:"phone"`
	Fax        string         `json:"fax" mask:"phone"`
	Email      string         `json:"email" mask:"email"`
	Tags       []TagRef       `json:"tags"`
	Fields     map[string]any `json:"fields"`
	Identities []Identity     `json:"identities"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

// Name is how a contact is called: first and last name.
func (c *Contact) Name() string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// Ref names a contact where something else shows it (an interaction, a
// merge candidate): its name masked like the contact's.
type Ref struct {
	ID     int64  `json:"id"`
	ListID int64  `json:"list_id"`
	Name   string `json:"name" mask:"name"`
}

// Input is a contact as a client sends it to create or change one: nil
// leaves a field as it is. Fields sets custom values by key (null clears
// one); TagIDs and Identities, when sent, replace the whole set.
type Input struct {
	ListID     *int64         `json:"list_id"`
	FirstName  *string        `json:"first_name"`
	LastName   *string        `json:"last_name"`
	Company    *string        `json:"company"`
	Phone      *string        `json:"phone"`
	Mobile     *string        `json:"mobile"`
	Fax        *string        `json:"fax"`
	Email      *string        `json:"email"`
	Fields     map[string]any `json:"fields"`
	TagIDs     *[]int64       `json:"tag_ids"`
	Identities *[]Identity    `json:"identities"`
}

// Edit lays an input over a contact (a new one for a create) after
// checking it against the list's custom fields, and returns the custom
// values to store by field id. c.Fields must hold the contact's current
// values. Every problem is named after its input field; custom fields as
// "fields.<key>".
func (p Phones) Edit(c *Contact, in Input, defs []Field) (map[int64]string, error) {
	fe := apperr.FieldErrors{}
	text := func(name string, dst *string, src *string, max int) {
		if src == nil {
			return
		}
		v := strings.TrimSpace(*src)
		if utf8.RuneCountInString(v) > max {
			fe.Add(name, "field.too_long", max)
			return
		}
		*dst = v
	}
	text("first_name", &c.FirstName, in.FirstName, MaxNameChars)
	text("last_name", &c.LastName, in.LastName, MaxNameChars)
	text("company", &c.Company, in.Company, MaxCompanyChars)
	for _, ph := range []struct {
		name string
		dst  *string
		src  *string
	}{{"phone", &c.Phone, in.Phone}, {"mobile", &c.Mobile, in.Mobile}, {"fax", &c.Fax, in.Fax}} {
		if ph.src == nil {
			continue
		}
		n, ok := p.Normalise(*ph.src)
		if !ok {
			fe.Add(ph.name, "phone.invalid")
			continue
		}
		*ph.dst = n
	}
	if in.Email != nil {
		e := NormaliseEmail(*in.Email)
		auth.ValidateEmail(fe, "email", e)
		c.Email = e
	}
	if c.FirstName == "" && c.LastName == "" && c.Company == "" && c.Phone == "" && c.Mobile == "" && c.Email == "" {
		fe.Add("first_name", "contact.empty")
	}
	values := ValuesOf(c.Fields, defs)
	for key, v := range in.Fields {
		def := fieldByKey(defs, key)
		if def == nil {
			fe.Add("fields."+shortKey(key), "field.unknown")
			continue
		}
		s, bad := def.Parse(v)
		if bad != nil {
			fe.Add("fields."+key, bad.Key, bad.Args...)
			continue
		}
		if s == "" {
			delete(values, def.ID)
		} else {
			values[def.ID] = s
		}
	}
	for _, d := range defs {
		if d.Required && values[d.ID] == "" && fe["fields."+d.Key].Key == "" {
			fe.Add("fields."+d.Key, "field.required")
		}
	}
	if in.TagIDs != nil && len(*in.TagIDs) > MaxTags {
		fe.Add("tag_ids", "field.too_many", MaxTags)
	}
	if in.Identities != nil {
		ids, err := p.NormaliseIdentities(*in.Identities)
		if err != nil {
			for k, m := range err {
				fe[k] = m
			}
		}
		c.Identities = ids
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	c.Fields = FieldsOf(values, defs)
	return values, nil
}

// shortKey keeps an unknown key short enough to be echoed in an error: its
// first 40 characters, cut between characters so the message stays valid
// UTF-8.
func shortKey(k string) string {
	n := 0
	for i := range k {
		if n == 40 {
			return k[:i]
		}
		n++
	}
	return k
}

func fieldByKey(defs []Field, key string) *Field {
	for i := range defs {
		if defs[i].Key == key {
			return &defs[i]
		}
	}
	return nil
}

// ValuesOf turns a contact's typed custom values (by key) back into their
// stored texts by field id; keys the list has no field for are dropped. It
// also carries values from one list to another (a copy, a merge): by key,
// where the value fits the other field's type.
func ValuesOf(fields map[string]any, defs []Field) map[int64]string {
	out := map[int64]string{}
	for _, d := range defs {
		v, ok := fields[d.Key]
		if !ok {
			continue
		}
		if s, bad := d.Parse(v); bad == nil && s != "" {
			out[d.ID] = s
		}
	}
	return out
}

// FieldsOf is the typed view of stored values, by key.
func FieldsOf(values map[int64]string, defs []Field) map[string]any {
	out := map[string]any{}
	for _, d := range defs {
		if s, ok := values[d.ID]; ok && s != "" {
			out[d.Key] = d.Value(s)
		}
	}
	return out
}

// NormaliseEmail is an email address as stored and compared.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NormaliseIdentities checks and normalises identities, dropping
// duplicates; problems are named "identities.<n>".
func (p Phones) NormaliseIdentities(in []Identity) ([]Identity, apperr.FieldErrors) {
	fe := apperr.FieldErrors{}
	if len(in) > MaxIdentities {
		fe.Add("identities", "field.too_many", MaxIdentities)
		return nil, fe
	}
	out := []Identity{}
	for n, id := range in {
		key := "identities." + strconv.Itoa(n)
		norm, ok := p.NormaliseIdentity(id)
		if !ok {
			fe.Add(key, "identity.invalid")
			continue
		}
		if !slices.Contains(out, norm) {
			out = append(out, norm)
		}
	}
	if len(fe) > 0 {
		return out, fe
	}
	return out, nil
}

// NormaliseIdentity is an identity as stored: phone-like kinds in E.164,
// emails in lowercase, handles trimmed. It reports false for an unknown
// kind or a value that is not one of its kind.
func (p Phones) NormaliseIdentity(id Identity) (Identity, bool) {
	v := strings.TrimSpace(id.Value)
	if v == "" || utf8.RuneCountInString(v) > MaxIdentityChars {
		return id, false
	}
	switch id.Kind {
	case KindWhatsApp, KindPhone:
		n, ok := p.Normalise(v)
		if !ok || n == "" {
			return id, false
		}
		v = n
	case KindEmail:
		v = NormaliseEmail(v)
		fe := apperr.FieldErrors{}
		auth.ValidateEmail(fe, "x", v)
		if len(fe) > 0 {
			return id, false
		}
	case KindChat, KindOpenChannel:
	default:
		return id, false
	}
	return Identity{Kind: id.Kind, Value: v}, true
}

// SplitName makes first and last name of a name as a channel gives it: the
// first word is the first name, the rest the last name.
func SplitName(name string) (first, last string) {
	name = strings.Join(strings.Fields(name), " ")
	if utf8.RuneCountInString(name) > 2*MaxNameChars {
		name = string([]rune(name)[:2*MaxNameChars])
	}
	first, last, _ = strings.Cut(name, " ")
	return truncate(first, MaxNameChars), truncate(last, MaxNameChars)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Merge fills what the survivor of a merge lacks from the other contact:
// its empty own fields, and the custom values its list has a field for
// (by key, where the value fits). It returns the survivor's custom values
// to store; tags and identities are the store's to move.
func Merge(survivor, other *Contact, defs []Field) map[int64]string {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&survivor.FirstName, other.FirstName)
	fill(&survivor.LastName, other.LastName)
	fill(&survivor.Company, other.Company)
	fill(&survivor.Phone, other.Phone)
	fill(&survivor.Mobile, other.Mobile)
	fill(&survivor.Fax, other.Fax)
	fill(&survivor.Email, other.Email)
	values := ValuesOf(survivor.Fields, defs)
	for id, v := range ValuesOf(other.Fields, defs) {
		if values[id] == "" {
			values[id] = v
		}
	}
	survivor.Fields = FieldsOf(values, defs)
	return values
}

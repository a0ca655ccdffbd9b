package contacts

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode"
)

// Masking: for agents with "mask sensitive data", the server hides part of
// a contact's phone numbers, names and email addresses in every answer —
// the reference's Security Suite, with the number of characters to hide
// set in the security settings (mask_characters). The server masks, never
// the browser: Masker.Apply runs over every answer for such an agent, and
// the values to hide are marked where they are declared, by a struct tag
// `mask:"<kind>"` on a string field or a MaskSensitive method, so a new
// answer carrying them is masked without its handler doing anything.

// Kinds of sensitive value, each hidden its own way.
const (
	MaskName   = "name"   // the last characters of each word
	MaskPhone  = "phone"  // the last digits
	MaskEmail  = "email"  // the last characters before the @
	MaskHandle = "handle" // the last characters
	// MaskKey is a channel's name for the customer that may be an email,
	// a phone number or a handle: masked as whichever it looks like.
	MaskKey = "key"
)

// Masker hides the last Chars characters (digits of a phone number) of a
// sensitive value with '*'. Chars 0 hides nothing; a value shorter than
// Chars is hidden whole.
type Masker struct {
	Chars int
}

// Mask hides part of a value of a kind.
func (m Masker) Mask(kind, value string) string {
	if m.Chars <= 0 || value == "" {
		return value
	}
	switch kind {
	case MaskPhone:
		return maskLast(value, m.Chars, func(r rune) bool { return r >= '0' && r <= '9' })
	case MaskEmail:
		local, domain, ok := strings.Cut(value, "@")
		if !ok {
			return m.Mask(MaskHandle, value)
		}
		return maskLast(local, m.Chars, notSpace) + "@" + domain
	case MaskName:
		words := strings.Split(value, " ")
		for i, w := range words {
			words[i] = maskLast(w, m.Chars, notSpace)
		}
		return strings.Join(words, " ")
	case MaskKey:
		switch {
		case strings.Contains(value, "@"):
			return m.Mask(MaskEmail, value)
		case phoneShaped(value):
			return m.Mask(MaskPhone, value)
		}
		return m.Mask(MaskHandle, value)
	default:
		return maskLast(value, m.Chars, notSpace)
	}
}

func notSpace(r rune) bool { return !unicode.IsSpace(r) }

// maskLast replaces the last n runes of s that hide() selects with '*'.
func maskLast(s string, n int, hide func(rune) bool) string {
	rs := []rune(s)
	for i := len(rs) - 1; i >= 0 && n > 0; i-- {
		if hide(rs[i]) {
			rs[i] = '*'
			n--
		}
	}
	return string(rs)
}

// sensitive is a value that masks its own parts (an identity masks its
// value by its kind; a chat form's answer by its field type).
type sensitive interface {
	MaskSensitive(mask func(kind, value string) string)
}

var sensitiveType = reflect.TypeFor[sensitive]()

// Apply masks, in place, every sensitive value reachable from v: string
// fields tagged `mask:"<kind>"` (also through pointers, slices, maps and
// interfaces) and values with a MaskSensitive method. Answers are built
// per request, so masking them in place touches nothing shared.
func (m Masker) Apply(v any) {
	if m.Chars <= 0 || v == nil {
		return
	}
	m.walk(reflect.ValueOf(v), 0)
}

const maxDepth = 32

// walk masks what v holds. A value that cannot be changed where it is (in
// an interface or a map) is masked in a copy, returned with true for the
// caller to put back.
func (m Masker) walk(v reflect.Value, depth int) (reflect.Value, bool) {
	if depth > maxDepth || !v.IsValid() || !mayHold(v.Type()) {
		return v, false
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			m.walkAddressable(v.Elem(), depth+1)
		}
	case reflect.Interface:
		if !v.IsNil() {
			return m.walk(v.Elem(), depth+1)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			m.walkAddressable(v.Index(i), depth+1)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if nv, changed := m.walk(iter.Value(), depth+1); changed {
				v.SetMapIndex(iter.Key(), nv)
			}
		}
	case reflect.Struct, reflect.Array:
		if v.CanAddr() {
			m.walkAddressable(v, depth)
			return v, false
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		m.walkAddressable(c, depth)
		return c, true
	}
	return v, false
}

// walkAddressable masks an addressable value in place.
func (m Masker) walkAddressable(v reflect.Value, depth int) {
	if depth > maxDepth || !mayHold(v.Type()) {
		return
	}
	if v.CanAddr() && v.Addr().Type().Implements(sensitiveType) {
		if v.Kind() != reflect.Pointer || !v.IsNil() {
			v.Addr().Interface().(sensitive).MaskSensitive(m.Mask)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			f := v.Field(i)
			if !sf.IsExported() && !sf.Anonymous {
				continue
			}
			if kind := sf.Tag.Get("mask"); kind != "" {
				m.maskField(f, kind)
				continue
			}
			if !f.CanSet() {
				continue
			}
			if nv, changed := m.walk(f, depth+1); changed {
				f.Set(nv)
			}
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			m.walkAddressable(v.Index(i), depth+1)
		}
	case reflect.Interface:
		if nv, changed := m.walk(v, depth); changed && v.CanSet() {
			v.Set(nv)
		}
	default:
		m.walk(v, depth)
	}
}

// maskField masks a tagged field: a string, or a pointer to one.
func (m Masker) maskField(f reflect.Value, kind string) {
	if !f.CanSet() {
		return
	}
	switch {
	case f.Kind() == reflect.String:
		f.SetString(m.Mask(kind, f.String()))
	case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.String && !f.IsNil():
		s := m.Mask(kind, f.Elem().String())
		f.Set(reflect.ValueOf(&s).Convert(f.Type()))
	}
}

var mayHoldCache sync.Map // reflect.Type → bool

// mayHold reports whether a value of type t can hold something to mask;
// types that cannot (numbers, times, byte slices, most structs) are
// skipped without being walked.
func mayHold(t reflect.Type) bool {
	if v, ok := mayHoldCache.Load(t); ok {
		return v.(bool)
	}
	mayHoldCache.Store(t, false) // a recursive type refers to itself: assume no until known
	out := computeMayHold(t)
	mayHoldCache.Store(t, out)
	return out
}

func computeMayHold(t reflect.Type) bool {
	if t.Implements(sensitiveType) || reflect.PointerTo(t).Implements(sensitiveType) {
		return true
	}
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return mayHold(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() && !sf.Anonymous {
				continue
			}
			if sf.Tag.Get("mask") != "" || mayHold(sf.Type) {
				return true
			}
		}
	}
	return false
}

// eventKeys are the keys of event data (the realtime stream, the event
// log) that carry a contact's personal data, with their kind.
var eventKeys = map[string]string{
	"contact_name": MaskName,
	"contact_key":  MaskKey,
}

// ApplyJSON masks a JSON document (an event's data): the string values of
// keys that name a contact's personal data, at any depth. Anything that is
// not a JSON object or array is returned as it is.
func (m Masker) ApplyJSON(raw json.RawMessage) json.RawMessage {
	if m.Chars <= 0 || len(raw) == 0 || (raw[0] != '{' && raw[0] != '[') {
		return raw
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return raw
	}
	if !m.maskKeys(doc, 0) {
		return raw
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return raw
	}
	return out
}

func (m Masker) maskKeys(doc any, depth int) bool {
	if depth > maxDepth {
		return false
	}
	changed := false
	switch x := doc.(type) {
	case map[string]any:
		for k, v := range x {
			if kind, ok := eventKeys[k]; ok {
				if s, ok := v.(string); ok && s != "" {
					x[k] = m.Mask(kind, s)
					changed = true
				}
				continue
			}
			changed = m.maskKeys(v, depth+1) || changed
		}
	case []any:
		for _, v := range x {
			changed = m.maskKeys(v, depth+1) || changed
		}
	}
	return changed
}

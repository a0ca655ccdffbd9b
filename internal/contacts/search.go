package contacts

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// Advanced search: conditions on fields, AND-ed. A condition is written
// "field:op" or "field:op:value" (the value may contain ':').

// Condition operators.
const (
	OpEquals   = "equals"
	OpContains = "contains"
	OpBefore   = "before"  // dates
	OpAfter    = "after"   // dates
	OpGreater  = "greater" // numbers
	OpLess     = "less"    // numbers
	OpSet      = "set"     // has a value
	OpNotSet   = "not_set" // has none
)

// MaxConditions bounds an advanced search.
const MaxConditions = 10

// standardKinds are the types of the standard fields in conditions.
var standardKinds = map[string]string{
	"first_name": TypeText, "last_name": TypeText, "company": TypeText,
	"phone": "phone", "mobile": "phone", "fax": "phone", "email": "email",
}

// opsByType are the operators each type of field takes.
var opsByType = map[string][]string{
	"phone":      {OpEquals, OpContains, OpSet, OpNotSet},
	"email":      {OpEquals, OpContains, OpSet, OpNotSet},
	TypeText:     {OpEquals, OpContains, OpSet, OpNotSet},
	TypeSelect:   {OpEquals, OpContains, OpSet, OpNotSet},
	TypeNumber:   {OpEquals, OpGreater, OpLess, OpSet, OpNotSet},
	TypeDate:     {OpEquals, OpBefore, OpAfter, OpSet, OpNotSet},
	TypeCheckbox: {OpEquals, OpSet, OpNotSet},
}

// Condition is one parsed condition. Standard is true for a contact's own
// column (Field is then its name); otherwise Field is a custom field's key
// and Type its type. Value is normalised for comparison: a phone number
// in E.164 (or its digits for contains), an email in lowercase, a number
// in canonical form, a date as YYYY-MM-DD.
type Condition struct {
	Field    string
	Standard bool
	Type     string
	Op       string
	Value    string
}

// ParseCondition reads a condition against the custom fields of the lists
// searched; a key the lists give different types is refused. The message
// says what is wrong.
func (p Phones) ParseCondition(s string, defs []Field) (Condition, *apperr.Message) {
	if utf8.RuneCountInString(s) > 300 {
		return Condition{}, &apperr.Message{Key: "field.too_long", Args: []any{300}}
	}
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 {
		return Condition{}, &apperr.Message{Key: "condition.invalid"}
	}
	c := Condition{Field: strings.TrimSpace(parts[0]), Op: strings.TrimSpace(parts[1])}
	if len(parts) == 3 {
		c.Value = strings.TrimSpace(parts[2])
	}
	if kind, ok := standardKinds[c.Field]; ok {
		c.Standard, c.Type = true, kind
	} else {
		var def *Field
		for i := range defs {
			if defs[i].Key != c.Field {
				continue
			}
			if def != nil && def.Type != defs[i].Type {
				return c, &apperr.Message{Key: "condition.ambiguous", Args: []any{c.Field}}
			}
			def = &defs[i]
		}
		if def == nil {
			return c, &apperr.Message{Key: "condition.unknown_field", Args: []any{shortKey(c.Field)}}
		}
		c.Type = def.Type
		if !slices.Contains(opsByType[c.Type], c.Op) {
			return c, &apperr.Message{Key: "condition.operator", Args: []any{c.Op}}
		}
		if c.Op != OpContains && c.Op != OpSet && c.Op != OpNotSet {
			// Compare in the stored form; a select compares case-blind.
			probe := *def
			if probe.Type == TypeSelect {
				probe.Type = TypeText
			}
			v, bad := probe.Parse(c.Value)
			if bad != nil {
				return c, bad
			}
			c.Value = v
		}
	}
	if !slices.Contains(opsByType[c.Type], c.Op) {
		return c, &apperr.Message{Key: "condition.operator", Args: []any{c.Op}}
	}
	if c.Op == OpSet || c.Op == OpNotSet {
		c.Value = ""
		return c, nil
	}
	if c.Value == "" {
		return c, &apperr.Message{Key: "condition.value"}
	}
	switch {
	case c.Type == "phone" && c.Op == OpEquals:
		n, ok := p.Normalise(c.Value)
		if !ok {
			return c, &apperr.Message{Key: "phone.invalid"}
		}
		c.Value = n
	case c.Type == "phone":
		c.Value = digitsOf(c.Value)
		if c.Value == "" {
			return c, &apperr.Message{Key: "phone.invalid"}
		}
	case c.Type == "email":
		c.Value = NormaliseEmail(c.Value)
	}
	return c, nil
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

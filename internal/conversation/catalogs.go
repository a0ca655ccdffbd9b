// Package conversation holds the rules of interactions. For now it has the
// accounts (channel entry points, starting with chat websites) and the admin
// catalogs agents use while handling interactions: tags, dispositions,
// canned answers and the sub-statuses of an open interaction.
package conversation

import (
	"regexp"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// Tag categorises interactions and contacts; its name is unique ignoring
// case.
type Tag struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Colour      string    `json:"colour"` // #rrggbb, lowercase
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

var colourRe = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// Validate trims the tag's text, lowercases its colour and checks them.
func (t *Tag) Validate(f apperr.FieldErrors) {
	t.Name, t.Description = strings.TrimSpace(t.Name), strings.TrimSpace(t.Description)
	t.Colour = strings.ToLower(strings.TrimSpace(t.Colour))
	validateText(f, "name", t.Name, 50, true)
	switch {
	case t.Colour == "":
		f.Add("colour", "field.required")
	case !colourRe.MatchString(t.Colour):
		f.Add("colour", "colour.invalid")
	}
	validateText(f, "description", t.Description, 500, false)
}

// Disposition is an outcome label set when closing an interaction. AccountID
// nil is a global disposition, otherwise it belongs to that account (the
// store checks that it exists). Its name is unique ignoring case within its
// scope.
type Disposition struct {
	ID          int64     `json:"id"`
	AccountID   *int64    `json:"account_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate trims the disposition's text and checks it.
func (d *Disposition) Validate(f apperr.FieldErrors) {
	d.Name, d.Description = strings.TrimSpace(d.Name), strings.TrimSpace(d.Description)
	validateText(f, "name", d.Name, 100, true)
	validateText(f, "description", d.Description, 500, false)
}

// CannedAnswer is a ready text an agent inserts in a reply. AccountID nil is
// a global answer, otherwise a local one of that account (the store checks
// that it exists). Its title is unique ignoring case within its scope.
type CannedAnswer struct {
	ID        int64     `json:"id"`
	AccountID *int64    `json:"account_id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate trims the title and checks the answer; the body is kept as
// typed (its line breaks matter) but may not be blank.
func (c *CannedAnswer) Validate(f apperr.FieldErrors) {
	c.Title = strings.TrimSpace(c.Title)
	validateText(f, "title", c.Title, 100, true)
	if strings.TrimSpace(c.Body) == "" {
		f.Add("body", "field.required")
	} else {
		validateText(f, "body", c.Body, 5000, false)
	}
}

// SubStatus is a sub-status of an open interaction, such as the built-in
// "Pending". Built-in ones cannot be renamed or deleted.
type SubStatus struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Builtin     bool      `json:"builtin"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate trims the sub-status's text and checks it.
func (s *SubStatus) Validate(f apperr.FieldErrors) {
	s.Name, s.Description = strings.TrimSpace(s.Name), strings.TrimSpace(s.Description)
	validateText(f, "name", s.Name, 50, true)
	validateText(f, "description", s.Description, 500, false)
}

// ValidateChange checks a change of a stored sub-status: a built-in one
// keeps its name.
func (s *SubStatus) ValidateChange(f apperr.FieldErrors, old *SubStatus) {
	s.Validate(f)
	if old.Builtin && s.Name != old.Name {
		f.Add("name", "sub_status.builtin_rename")
	}
}

func validateText(f apperr.FieldErrors, field, v string, max int, required bool) {
	switch {
	case v == "" && required:
		f.Add(field, "field.required")
	case len([]rune(v)) > max:
		f.Add(field, "field.too_long", max)
	}
}

// Package apperr is the one error type of Switchboard. Every layer returns
// *Error for anything a client should see; the HTTP layer maps the code to a
// status in a single table and never shows internal detail.
package apperr

import (
	"errors"
	"fmt"
	"sort"
)

// Code is a stable, machine-readable error class.
type Code string

const (
	Invalid                Code = "invalid"
	Unauthorized           Code = "unauthorized"
	Forbidden              Code = "forbidden"
	PasswordChangeRequired Code = "password_change_required"
	CSRF                   Code = "csrf"
	NotFound               Code = "not_found"
	MethodNotAllowed       Code = "method_not_allowed"
	Conflict               Code = "conflict"
	TooLarge               Code = "too_large"
	Locked                 Code = "locked"
	RateLimited            Code = "rate_limited"
	Unavailable            Code = "unavailable"
	Internal               Code = "internal"
	// WindowExpired: WhatsApp's 24-hour customer service window is closed,
	// only a template may be sent (a conflict, HTTP 409).
	WindowExpired Code = "whatsapp.window_expired"
	// ListNotEmpty: a contact list still holds contacts and the request
	// did not say they go with it (a conflict, HTTP 409).
	ListNotEmpty Code = "list.not_empty"
	// ListInUse: a contact list is an account's default list or a running
	// import's target (a conflict, HTTP 409).
	ListInUse Code = "list.in_use"
)

// Message is a translatable text: a catalogue key plus arguments. The HTTP
// layer renders it in the caller's language; Default is the English text used
// when the key is missing from a catalogue (and in logs).
type Message struct {
	Key  string
	Args []any
}

// Error is a client-facing error. Fields names the offending input fields.
type Error struct {
	Code    Code
	Message Message
	Fields  map[string]Message
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message.Key
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s += fmt.Sprintf(" [%s: %s]", k, e.Fields[k].Key)
		}
	}
	return s
}

// New builds an error with a message key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Message: Message{Key: key, Args: args}}
}

// CodeOf returns the code of err, Internal for anything that is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err is an *Error with the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// FieldErrors collects validation failures, one per field (the first wins),
// so a form can show every problem at once.
type FieldErrors map[string]Message

// Add records a problem with a field unless one is already recorded.
func (f FieldErrors) Add(field, key string, args ...any) {
	if _, ok := f[field]; !ok {
		f[field] = Message{Key: key, Args: args}
	}
}

// Err returns an Invalid error naming all fields, or nil when there are none.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: Message{Key: "error.invalid_input"}, Fields: f}
}

// Field is a shortcut for an Invalid error on one field.
func Field(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Message: Message{Key: "error.invalid_input"},
		Fields: map[string]Message{field: {Key: key, Args: args}}}
}

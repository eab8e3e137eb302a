// Package licensing holds PatentDesk's domain: companies, patents,
// agreements, grants and their validation. It knows nothing of HTTP, SQL or
// HTML.
package licensing

import (
	"errors"
	"fmt"
)

// Code classifies an error for the people and programs that receive it; each
// code maps to one HTTP status.
type Code string

// The error codes of the JSON API and the web pages.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	Internal     Code = "internal"
)

// Error is a domain error with a code, a message fit to show, and optional
// per-field messages for forms and API clients.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	Err     error // the cause, logged but never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns err's code: Internal for anything that is not an *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

package bot

import (
	"errors"
	"fmt"
)

// Error codes shared by the domain, the store and the adapters. Callers branch
// on the code, never on the message.
const (
	EINTERNAL  = "internal"  // a failure the person cannot fix
	EINVALID   = "invalid"   // bad input; the message says what is allowed
	ENOTFOUND  = "not_found" // the thing asked for does not exist
	EFORBIDDEN = "forbidden" // the caller may not do this; the message says why
	ECONFLICT  = "conflict"  // the request clashes with stored state
)

// Error is the one error type of the domain: a code to branch on and a
// message fit to show to the person who caused it.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the person-facing message of the first *Error in err's
// chain, or a generic message for internal errors, whose details belong in
// the log and not in a chat.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}

package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/i18n"
)

// statusOf is the one table from error codes to HTTP status.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:                http.StatusBadRequest,
	apperr.Unauthorized:           http.StatusUnauthorized,
	apperr.Forbidden:              http.StatusForbidden,
	apperr.PasswordChangeRequired: http.StatusForbidden,
	apperr.CSRF:                   http.StatusForbidden,
	apperr.NotFound:               http.StatusNotFound,
	apperr.MethodNotAllowed:       http.StatusMethodNotAllowed,
	apperr.Conflict:               http.StatusConflict,
	apperr.TooLarge:               http.StatusRequestEntityTooLarge,
	apperr.Locked:                 http.StatusLocked,
	apperr.RateLimited:            http.StatusTooManyRequests,
	apperr.Unavailable:            http.StatusServiceUnavailable,
	apperr.Internal:               http.StatusInternalServerError,
	apperr.WindowExpired:          http.StatusConflict,
	apperr.ListNotEmpty:           http.StatusConflict,
	apperr.ListInUse:              http.StatusConflict,
}

// errorBody is the JSON shape of every error answer.
type errorBody struct {
	Code    apperr.Code       `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// writeError answers with err in the caller's language. Errors that are not
// *apperr.Error are logged and shown only as "internal".
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		ae = apperr.New(apperr.Internal, "error.internal")
	}
	lang := i18n.Match(r.Header.Get("Accept-Language"))
	body := errorBody{Code: ae.Code, Message: i18n.T(lang, ae.Message.Key, ae.Message.Args...)}
	if len(ae.Fields) > 0 {
		body.Fields = make(map[string]string, len(ae.Fields))
		for f, m := range ae.Fields {
			body.Fields[f] = i18n.T(lang, m.Key, m.Args...)
		}
	}
	status, ok := statusOf[ae.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, body)
}

// writeJSON writes v as the answer; for a caller whose answers are masked
// (see contacts_mask.go) it masks v first.
func writeJSON(w http.ResponseWriter, status int, v any) {
	if mw, ok := w.(*maskingWriter); ok && v != nil {
		mw.masker.Apply(v)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

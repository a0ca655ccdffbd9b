package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// decode reads a JSON body into v. The body size is capped by the server's
// middleware; a too-large body is a 413, a type mismatch names its field.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return apperr.New(apperr.TooLarge, "error.too_large", tooBig.Limit)
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return apperr.Field(jsonFieldPath(typeErr.Field), "error.json_type", typeErr.Type.String())
		case errors.Is(err, io.EOF):
			return apperr.New(apperr.Invalid, "error.bad_json")
		default:
			return apperr.New(apperr.Invalid, "error.bad_json")
		}
	}
	return nil
}

// pathID reads a numeric path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Field(name, "id.invalid")
	}
	return id, nil
}

// queryInt reads an optional integer query parameter in [minVal, maxVal].
func queryInt(r *http.Request, name string, def, minVal, maxVal int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < minVal || n > maxVal {
		return 0, apperr.Field(name, "number.range", minVal, maxVal)
	}
	return n, nil
}

// queryBool reads an optional true/false query parameter (false when absent).
func queryBool(r *http.Request, name string) (bool, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, apperr.Field(name, "boolean.invalid")
	}
	return b, nil
}

// jsonFieldPath drops the Go names of embedded structs from a decoding
// error's path ("NewAgent.NewAccount.username" → "username"), leaving the
// JSON keys the client sent.
func jsonFieldPath(p string) string {
	parts := strings.Split(p, ".")
	kept := parts[:0]
	for _, x := range parts {
		if x != "" && x[0] >= 'A' && x[0] <= 'Z' {
			continue
		}
		kept = append(kept, x)
	}
	return strings.Join(kept, ".")
}

package staffapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"reflect"
	"strings"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/web"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// requestError is a problem with the request itself, found before the service is asked.
type requestError struct {
	status  int
	field   string
	message string
}

func (e *requestError) Error() string { return e.message }

func badRequest(field, format string, args ...any) error {
	return &requestError{status: http.StatusBadRequest, field: field,
		message: fmt.Sprintf(format, args...)}
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// securityHeaders sets the headers every response carries; HTML pages and file downloads
// tighten them further.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// writeJSON sends v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may have gone; nothing to do about it
}

// writeError sends err as {"error": ..., "field": ...} with the status it maps to. The
// message shown is meant for people; internal errors are logged and shown generically.
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := a.describe(err)
	if status >= http.StatusInternalServerError {
		a.log.Error("staff api request failed", "path", r.URL.Path, "error", err)
	}
	writeJSON(w, status, body)
}

// describe maps an error to a status and the message a user sees.
func (a *api) describe(err error) (int, errorBody) {
	var req *requestError
	var invalid *domain.ValidationError
	status := web.Status(err)
	switch {
	case errors.As(err, &req):
		return req.status, errorBody{Error: req.message, Field: req.field}
	case errors.As(err, &invalid):
		return status, errorBody{Error: validationMessage(invalid), Field: invalid.Field}
	case errors.Is(err, domain.ErrNotFound):
		return status, errorBody{Error: "not found"}
	case errors.Is(err, domain.ErrForbidden):
		return status, errorBody{Error: reason(err, domain.ErrForbidden, "you may not do this")}
	case errors.Is(err, domain.ErrConflict):
		return status,
			errorBody{Error: reason(err, domain.ErrConflict, "this clashes with existing data")}
	case errors.Is(err, service.ErrTooLarge), errors.Is(err, service.ErrBadCredentials),
		errors.Is(err, service.ErrInvalidLink), errors.Is(err, service.ErrRateLimited):
		return status, errorBody{Error: err.Error()}
	}
	return http.StatusInternalServerError,
		errorBody{Error: "internal error; the server log has details"}
}

// validationMessage makes a sentence of a validation error: "title" and "must not be
// empty" give "title must not be empty", while a message that is a sentence already, such
// as "no such workspace", stays as it is.
func validationMessage(v *domain.ValidationError) string {
	for _, verb := range []string{"is ", "must ", "contains "} {
		if strings.HasPrefix(v.Message, verb) {
			return v.Field + " " + v.Message
		}
	}
	return v.Message
}

// reason returns the context a service put before a sentinel error ("only an owner may do
// this: forbidden" gives "only an owner may do this"), or fallback when there is none or
// when it names a record rather than a reason.
func reason(err, sentinel error, fallback string) string {
	msg, ok := strings.CutSuffix(err.Error(), ": "+sentinel.Error())
	if !ok || msg == "" || strings.HasPrefix(msg, "staff ") {
		return fallback
	}
	return msg
}

// decodeJSON reads one JSON object from the request body into v, refusing unknown fields,
// wrong types, trailing data, text that is not UTF-8, other content types and bodies over
// maxJSONBody. The body is read whole first (it is small): encoding/json alone would
// replace bytes that are not UTF-8 without a word.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return &requestError{status: http.StatusUnsupportedMediaType,
				message: "send the body as application/json"}
		}
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		return jsonError(err)
	}
	if field, bad := invalidUTF8(raw); bad {
		if field == "" {
			return badRequest("", "the body is not valid UTF-8; send text as UTF-8")
		}
		return badRequest(field, "%s is not valid UTF-8", field)
	}

	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("", "the body must hold exactly one JSON object")
	}
	return nil
}

// jsonError turns a decoding error into a message that says what to fix.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return &requestError{status: http.StatusRequestTimeout,
			message: "the body arrived too slowly"}
	case errors.As(err, &tooLarge):
		return &requestError{status: http.StatusRequestEntityTooLarge,
			message: fmt.Sprintf("the body is larger than %d bytes", tooLarge.Limit)}
	case errors.Is(err, io.EOF):
		return badRequest("", "the body is empty; send a JSON object")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("", "the body is not valid JSON")
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return badRequest("", "the body must be a JSON object")
		}
		if wholeOutOfRange(typeErr) {
			return badRequest(typeErr.Field, "%s is out of range", typeErr.Field)
		}
		return badRequest(typeErr.Field, "%s must be %s", typeErr.Field, kindName(typeErr.Type))
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field = strings.Trim(field, `"`)
		return badRequest(field, "unknown field %q", field)
	}
	return badRequest("", "the body could not be read: %v", err)
}

// wholeOutOfRange reports whether err is a whole number too large (or too small) for the
// whole-number field it was sent for, rather than something else sent in its place.
func wholeOutOfRange(err *json.UnmarshalTypeError) bool {
	n, ok := strings.CutPrefix(err.Value, "number ")
	return ok && kindName(err.Type) == "a whole number" && !strings.ContainsAny(n, ".eE")
}

// kindName describes a Go type the way a JSON user thinks of it.
func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

// pathID returns the ID in the named path segment; a malformed one is not found, like an
// unknown one.
func pathID(r *http.Request, name string) (domain.ID, error) {
	id := domain.ID(r.PathValue(name))
	if !id.Valid() {
		return "", fmt.Errorf("%s %q: %w", name, id, domain.ErrNotFound)
	}
	return id, nil
}

// noRoute answers requests under /api/ that match no route: 405 with the allowed methods
// when the path exists with other methods, 404 otherwise, both as JSON.
func (a *api) noRoute(mux *http.ServeMux) http.HandlerFunc {
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete}
	return func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, m := range methods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/api/" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) == 0 {
			writeJSON(w, http.StatusNotFound, errorBody{Error: "no such route"})
			return
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeJSON(w, http.StatusMethodNotAllowed,
			errorBody{Error: "use one of " + strings.Join(allowed, ", ")})
	}
}

// crossOriginDenied answers a write that a browser sent from another site.
func (a *api) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusForbidden,
		errorBody{Error: "cross-origin request refused; use the staff app or an API token"})
}

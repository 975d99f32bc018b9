package mail

import (
	"errors"
	"strings"
)

// redactedError hides secrets in the text of an error. It answers errors.Is for the
// original chain but deliberately has no Unwrap, so the unredacted text of the wrapped
// errors cannot be reached and logged by accident.
type redactedError struct {
	err  error
	text string
}

// newRedactedError returns err with every non-empty secret in its text replaced by
// "[redacted]". It returns nil for a nil err.
func newRedactedError(err error, secrets ...string) error {
	if err == nil {
		return nil
	}

	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		if s != "" {
			pairs = append(pairs, s, "[redacted]")
		}
	}
	return &redactedError{err: err, text: strings.NewReplacer(pairs...).Replace(err.Error())}
}

// Error returns the redacted text.
func (e *redactedError) Error() string { return e.text }

// Is reports whether the original error matches target.
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

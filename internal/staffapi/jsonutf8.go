package staffapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxUTF8Depth bounds how deep invalidUTF8 follows nested objects and lists to name a
// field; no request body nests anywhere near it, and a deeper one is refused unnamed.
const maxUTF8Depth = 32

// invalidUTF8 reports whether raw holds bytes that are not UTF-8 and, when raw is JSON,
// the field whose value holds them: "body", or "assignee.id" inside an object (list
// positions left out, as in decoding errors). The field is "" when the bytes are in a key
// or the text is not JSON. A \u escape of half a surrogate pair counts as such bytes too.
// encoding/json would quietly turn either into U+FFFD, so a request would store text other
// than what was sent.
func invalidUTF8(raw []byte) (field string, bad bool) {
	if validText(raw) {
		return "", false
	}
	w := utf8Walk{dec: json.NewDecoder(bytes.NewReader(raw)), raw: raw}
	path, _ := w.value(nil, 0)
	return strings.Join(path, "."), true
}

// utf8Walk reads a JSON text token by token, looking for the value with the bad bytes.
type utf8Walk struct {
	dec  *json.Decoder
	raw  []byte
	read int64 // how much of raw the tokens so far took
}

// next reads a token and reports whether its bytes, with the separators before it (which
// are ASCII), are UTF-8.
func (w *utf8Walk) next() (json.Token, bool, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, false, err
	}
	end := w.dec.InputOffset()
	valid := validText(w.raw[w.read:end])
	w.read = end
	return tok, valid, nil
}

// value reads one value, whose keys are path, and stops (done) at the bad bytes, naming
// the path of the value holding them, or at anything that keeps it from naming one.
func (w *utf8Walk) value(path []string, depth int) (field []string, done bool) {
	tok, valid, err := w.next()
	if err != nil || depth > maxUTF8Depth {
		return nil, true
	}
	switch tok {
	case json.Delim('{'):
		for w.dec.More() {
			key, valid, err := w.next()
			if err != nil || !valid {
				return nil, true
			}
			if field, done := w.value(append(path, key.(string)), depth+1); done {
				return field, true
			}
		}
	case json.Delim('['):
		for w.dec.More() {
			if field, done := w.value(path, depth+1); done {
				return field, true
			}
		}
	default:
		if !valid {
			return path, true
		}
		return nil, false
	}
	_, _, err = w.next() // the closing bracket
	return nil, err != nil
}

// validText reports whether b is UTF-8 with no \u escape of a lone surrogate. Backslashes
// occur in JSON inside strings only, so b may be any run of tokens.
func validText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			continue
		}
		if b[i+1] != 'u' {
			i++ // an escaped character, perhaps a backslash
			continue
		}
		r, ok := escapedRune(b[i:])
		switch {
		case !ok || !utf16.IsSurrogate(r):
		case r >= 0xDC00: // a low half without a high one before it
			return false
		default:
			low, ok := escapedRune(b[i+6:])
			if !ok || low < 0xDC00 || low > 0xDFFF {
				return false
			}
			i += 6
		}
		i += 5
	}
	return true
}

// escapedRune reads the \u escape, with its four hex digits, at the start of b.
func escapedRune(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[2:6]), 16, 32)
	return rune(n), err == nil
}

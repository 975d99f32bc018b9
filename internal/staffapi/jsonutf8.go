package staffapi

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// jsonLevel is one open object or array while walking a JSON text: for an object, the key
// of the value being read and whether a key comes next.
type jsonLevel struct {
	object  bool
	wantKey bool
	key     string
}

// invalidUTF8 reports whether raw holds bytes that are not UTF-8 and, when raw is JSON,
// the field whose value holds them: "body", or "assignee.id" inside an object. The field
// is "" when the bytes are in a key or the text is not JSON. encoding/json would quietly
// turn such bytes into U+FFFD, so a request would store text other than what was sent.
func invalidUTF8(raw []byte) (field string, bad bool) {
	if utf8.Valid(raw) {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var levels []jsonLevel
	var start int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", true
		}
		// The token and the separators before it; the separators are ASCII.
		end := dec.InputOffset()
		valid := utf8.Valid(raw[start:end])
		start = end

		top := len(levels) - 1
		if top >= 0 && levels[top].object && levels[top].wantKey {
			if delim, ok := tok.(json.Delim); ok && delim == '}' {
				levels = levels[:top]
				valueDone(levels)
				continue
			}
			if !valid {
				return "", true
			}
			levels[top].key, _ = tok.(string)
			levels[top].wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			levels = append(levels, jsonLevel{object: tok == json.Delim('{'), wantKey: true})
		case json.Delim('}'), json.Delim(']'):
			levels = levels[:top]
			valueDone(levels)
		default:
			if !valid {
				return fieldPath(levels), true
			}
			valueDone(levels)
		}
	}
}

// valueDone notes that a value of the innermost object has been read: a key comes next.
func valueDone(levels []jsonLevel) {
	if top := len(levels) - 1; top >= 0 && levels[top].object {
		levels[top].wantKey = true
	}
}

// fieldPath names the value being read the way decoding errors do: the keys of the
// enclosing objects joined by dots, list positions left out.
func fieldPath(levels []jsonLevel) string {
	var keys []string
	for _, l := range levels {
		if l.object {
			keys = append(keys, l.key)
		}
	}
	return strings.Join(keys, ".")
}

package metrics

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// sampleLine is one sample: a name, optional labels with escaped values, and a value.
var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)` +
	`(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"` +
	`(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})?` +
	` (-?[0-9][0-9.e+-]*|\+Inf|-Inf|NaN)$`)

var typeLine = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$`)

// CheckText reports the first line of text that breaks the exposition format as this
// package writes it: every sample follows the TYPE line of its family and has a valid
// name, labels and value. Tests of handlers that serve metrics use it.
func CheckText(text string) error {
	if !strings.HasSuffix(text, "\n") {
		return errors.New("metrics text does not end with a newline")
	}
	family, kind := "", ""
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if m := typeLine.FindStringSubmatch(line); m != nil {
			family, kind = m[1], m[2]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			return fmt.Errorf("line %d is not a sample: %q", i+1, line)
		}
		if !belongs(m[1], family, kind) {
			return fmt.Errorf("line %d: sample %s outside its family's TYPE line", i+1, m[1])
		}
	}
	return nil
}

func belongs(name, family, kind string) bool {
	if family == "" {
		return false
	}
	if kind == "histogram" {
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if name == family+suffix {
				return true
			}
		}
		return false
	}
	return name == family
}

package logging

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string
		check   func(t *testing.T, out string)
	}{
		{"text by default", Options{}, "", func(t *testing.T, out string) {
			if !strings.Contains(out, `level=INFO msg="portal started" path=/srv`) ||
				strings.Contains(out, "hidden") {
				t.Fatalf("text output %q", out)
			}
		}},
		{"json", Options{Format: "json"}, "", func(t *testing.T, out string) {
			var line map[string]any
			if err := json.Unmarshal([]byte(strings.Split(out, "\n")[0]), &line); err != nil {
				t.Fatalf("not JSON: %q", out)
			}
			if line["msg"] != "portal started" || line["path"] != "/srv" || line["level"] != "INFO" {
				t.Fatalf("json output %q", out)
			}
		}},
		{"debug level", Options{Level: "debug"}, "", func(t *testing.T, out string) {
			if !strings.Contains(out, "hidden") {
				t.Fatalf("debug line missing: %q", out)
			}
		}},
		{"bad format", Options{Format: "xml"}, "--log-format must be text or json", nil},
		{"bad level", Options{Level: "loud"}, "--log-level must be", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := New(&buf, tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			log.Info("portal started", "path", "/srv")
			log.Debug("hidden")
			tt.check(t, buf.String())
		})
	}
}

// Package logging builds Portico's logger from the --log-format and --log-level flags:
// log/slog's text handler for people reading a terminal or the journal, its JSON handler
// for log collectors.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// The formats --log-format accepts.
const (
	FormatText = "text"
	FormatJSON = "json"
)

// Options are the logging flags.
type Options struct {
	// Format is "text" (the default) or "json".
	Format string
	// Level is "debug", "info" (the default), "warn" or "error".
	Level string
}

// New returns a logger writing to w as opts say, or an error naming the bad flag value.
func New(w io.Writer, opts Options) (*slog.Logger, error) {
	var level slog.Level
	if opts.Level != "" {
		if err := level.UnmarshalText([]byte(opts.Level)); err != nil {
			return nil, fmt.Errorf("--log-level must be debug, info, warn or error, got %q", opts.Level)
		}
	}
	handlerOpts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(opts.Format) {
	case "", FormatText:
		return slog.New(slog.NewTextHandler(w, handlerOpts)), nil
	case FormatJSON:
		return slog.New(slog.NewJSONHandler(w, handlerOpts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, got %q", opts.Format)
}

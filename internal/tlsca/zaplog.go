package tlsca

import (
	"context"
	"log/slog"
	"maps"
	"slices"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newZapLogger returns a zap logger, as certmagic wants one, that hands warnings and
// errors to logger. certmagic's informational messages (locks taken and released, and
// the like) are dropped; certificate events are logged from its event callback instead.
func newZapLogger(logger *slog.Logger) *zap.Logger {
	return zap.New(&slogCore{logger: logger, min: zapcore.WarnLevel})
}

// slogCore is a zapcore.Core that writes entries to a slog logger.
type slogCore struct {
	logger *slog.Logger
	min    zapcore.Level
	fields []zapcore.Field
}

// Enabled reports whether entries at level are written.
func (c *slogCore) Enabled(level zapcore.Level) bool {
	return level >= c.min
}

// With returns a core that adds fields to every entry.
func (c *slogCore) With(fields []zapcore.Field) zapcore.Core {
	clone := *c
	clone.fields = append(slices.Clip(c.fields), fields...)
	return &clone
}

// Check adds c to the cores that write entry when its level is enabled.
func (c *slogCore) Check(entry zapcore.Entry, checked *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(entry.Level) {
		return checked.AddCore(entry, c)
	}
	return checked
}

// Write logs entry with its fields, sorted by key.
func (c *slogCore) Write(entry zapcore.Entry, fields []zapcore.Field) error {
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range append(slices.Clip(c.fields), fields...) {
		f.AddTo(enc)
	}

	attrs := make([]slog.Attr, 0, len(enc.Fields)+1)
	attrs = append(attrs, slog.String("component", "certmagic"))
	for _, key := range slices.Sorted(maps.Keys(enc.Fields)) {
		attrs = append(attrs, slog.Any(key, enc.Fields[key]))
	}
	c.logger.LogAttrs(context.Background(), slogLevel(entry.Level), entry.Message, attrs...)
	return nil
}

// Sync does nothing: slog handlers write through.
func (c *slogCore) Sync() error {
	return nil
}

// slogLevel maps a zap level to the nearest slog level.
func slogLevel(level zapcore.Level) slog.Level {
	switch {
	case level < zapcore.InfoLevel:
		return slog.LevelDebug
	case level == zapcore.InfoLevel:
		return slog.LevelInfo
	case level == zapcore.WarnLevel:
		return slog.LevelWarn
	default:
		return slog.LevelError
	}
}

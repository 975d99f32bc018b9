package tlsca

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestQuietHandlerHoldsBackRepeatedWarnings(t *testing.T) {
	logger, buf := newTestLogger()
	stopped := make(chan struct{})
	h := newQuietHandler(logger.Handler(), time.Minute, stopped)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	h.seen.now = func() time.Time { return now }
	quiet := slog.New(h).With("component", "certmagic")

	for range 5 {
		quiet.Error("could not get certificate", "error", "connection refused")
		quiet.Info("obtaining certificate")
		now = now.Add(10 * time.Second)
	}
	quiet.Warn("another warning")
	now = now.Add(time.Minute)
	quiet.Error("could not get certificate", "error", "connection refused")
	close(stopped)
	quiet.Error("job failed", "error", "context canceled")
	quiet.Info("stopped")

	logged := buf.String()
	checks := []struct {
		text string
		want int
	}{
		{"could not get certificate", 2},
		{"repeated=4", 1},
		{"obtaining certificate", 5},
		{"another warning", 1},
		{"job failed", 0},
		{"msg=stopped", 1},
		{"component=certmagic", 9},
	}
	for _, c := range checks {
		if got := strings.Count(logged, c.text); got != c.want {
			t.Errorf("%q logged %d times, want %d\n%s", c.text, got, c.want, logged)
		}
	}
}

func TestQuietHandlerForgetsWhenFull(t *testing.T) {
	logger, buf := newTestLogger()
	h := newQuietHandler(logger.Handler(), time.Hour, nil)
	for i := range maxQuietKeys + 10 {
		r := slog.NewRecord(time.Now(), slog.LevelWarn, "message "+strings.Repeat("x", i), 0)
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(h.seen.byKey); n > maxQuietKeys {
		t.Errorf("remembers %d messages, want at most %d", n, maxQuietKeys)
	}
	if got := strings.Count(buf.String(), "level=WARN"); got != maxQuietKeys+10 {
		t.Errorf("logged %d distinct warnings, want %d", got, maxQuietKeys+10)
	}
}

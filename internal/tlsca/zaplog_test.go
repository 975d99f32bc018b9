package tlsca

import (
	"errors"
	"strings"
	"testing"

	"go.uber.org/zap"
)

func TestZapLoggerForwardsWarnings(t *testing.T) {
	logger, logs := newTestLogger()
	zl := newZapLogger(logger).Named("renew").With(zap.String("identifier", "localhost"))

	zl.Info("acquiring lock")
	zl.Warn("renewal slow", zap.Int("attempt", 2))
	zl.Error("renewal failed", zap.Error(errors.New("boom")))

	out := logs.String()
	if strings.Contains(out, "acquiring lock") {
		t.Errorf("info message forwarded:\n%s", out)
	}
	for _, want := range []string{
		`level=WARN msg="renewal slow" component=certmagic attempt=2 identifier=localhost`,
		`level=ERROR msg="renewal failed" component=certmagic error=boom identifier=localhost`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

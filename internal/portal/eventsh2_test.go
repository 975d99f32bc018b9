package portal

import (
	"net/http/httptest"
	"testing"
	"time"

	"portico/internal/service"
)

// TestStreamOutlivesWriteTimeoutOverHTTP2: the deadline each write sets is lifted after
// it, so an idle stream over HTTP/2 is not ended when that deadline passes.
func TestStreamOutlivesWriteTimeoutOverHTTP2(t *testing.T) {
	old := writeTimeout
	writeTimeout = 200 * time.Millisecond
	t.Cleanup(func() { writeTimeout = old })

	w := newWorld(t, service.Config{})
	h2 := httptest.NewUnstartedServer(New(Options{Service: w.svc, Hub: w.hub}))
	h2.EnableHTTP2 = true
	h2.StartTLS()
	t.Cleanup(h2.Close)
	over2 := *w.fixture
	over2.srv = h2

	s := openStreamAt(t, over2.browser(t, w.memberSession), projectStream(w))
	time.Sleep(10 * writeTimeout)
	marker := w.markTask(t)
	s.until(t, func(ev clientEvent) bool { return ev.TaskID == marker })
}

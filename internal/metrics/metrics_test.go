package metrics

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriteText(t *testing.T) {
	r := New()
	reqs := r.NewCounter("app_requests_total", "Requests answered.", "route", "code")
	lat := r.NewHistogram("app_request_duration_seconds", "Time to answer.", []float64{0.1, 1}, "route")
	r.NewGaugeFunc("app_streams_open", "Streams open now.", func() float64 { return 3 })
	r.NewInfo("app_build_info", "The build.", []string{"version"}, []string{"v1.2"})

	reqs.Inc("GET /t/{id}", "200")
	reqs.Inc("GET /t/{id}", "200")
	reqs.Inc(`odd "route"`+"\n", "404")
	lat.Observe(0.05, "GET /t/{id}")
	lat.Observe(0.5, "GET /t/{id}")
	lat.Observe(5, "GET /t/{id}")

	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := `# HELP app_requests_total Requests answered.
# TYPE app_requests_total counter
app_requests_total{route="GET /t/{id}",code="200"} 2
app_requests_total{route="odd \"route\"\n",code="404"} 1
# HELP app_request_duration_seconds Time to answer.
# TYPE app_request_duration_seconds histogram
app_request_duration_seconds_bucket{route="GET /t/{id}",le="0.1"} 1
app_request_duration_seconds_bucket{route="GET /t/{id}",le="1"} 2
app_request_duration_seconds_bucket{route="GET /t/{id}",le="+Inf"} 3
app_request_duration_seconds_sum{route="GET /t/{id}"} 5.55
app_request_duration_seconds_count{route="GET /t/{id}"} 3
# HELP app_streams_open Streams open now.
# TYPE app_streams_open gauge
app_streams_open 3
# HELP app_build_info The build.
# TYPE app_build_info gauge
app_build_info{version="v1.2"} 1
`
	if buf.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
	if err := CheckText(buf.String()); err != nil {
		t.Fatal(err)
	}
}

func TestServeHTTP(t *testing.T) {
	r := New()
	r.NewCounter("app_total", "Things.").Inc()
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if ct := rec.Header().Get("Content-Type"); ct != ContentType {
		t.Fatalf("Content-Type %q", ct)
	}
	if !strings.Contains(rec.Body.String(), "\napp_total 1\n") {
		t.Fatalf("body:\n%s", rec.Body.String())
	}
}

func TestConcurrentUpdates(t *testing.T) {
	r := New()
	c := r.NewCounter("app_total", "Things.", "kind")
	h := r.NewHistogram("app_seconds", "Time.", DefaultBuckets, "kind")
	done := make(chan bool)
	for g := range 8 {
		go func() {
			for i := range 1000 {
				kind := []string{"a", "b"}[(g+i)%2]
				c.Inc(kind)
				h.Observe(0.001, kind)
			}
			done <- true
		}()
	}
	for range 8 {
		<-done
	}
	var buf bytes.Buffer
	r.WriteText(&buf)
	for _, line := range []string{`app_total{kind="a"} 4000`, `app_seconds_count{kind="b"} 4000`} {
		if !strings.Contains(buf.String(), line+"\n") {
			t.Errorf("missing %q in:\n%s", line, buf.String())
		}
	}
}

func TestCheckTextRejects(t *testing.T) {
	for _, bad := range []string{
		"app_total 1\n", // no TYPE
		"# TYPE app_total counter\napp_total{a=\"x} 1\n", // broken labels
		"# TYPE app_total counter\napp_other 1\n",        // foreign sample
		"# TYPE app_total counter\napp_total one\n",      // not a number
	} {
		if CheckText(bad) == nil {
			t.Errorf("CheckText accepted %q", bad)
		}
	}
}

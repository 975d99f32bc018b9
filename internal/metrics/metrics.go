// Package metrics keeps counters, histograms and gauges and writes them in the Prometheus
// text exposition format (version 0.0.4), which every Prometheus-compatible scraper reads.
// It is written for Portico's handful of metrics, not as a general client library: series
// are created on first use, values are updated with atomics, and gauges are read from
// callbacks at scrape time.
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Registry holds metric families in the order they were created. It is safe for
// concurrent use.
type Registry struct {
	mu       sync.Mutex
	families []family
}

// family is one metric name with its help text, type and series.
type family interface {
	write(w *bufio.Writer)
}

// New returns an empty registry.
func New() *Registry { return &Registry{} }

func (r *Registry) register(f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.families = append(r.families, f)
}

// WriteText writes every family in the text exposition format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	families := slices.Clone(r.families)
	r.mu.Unlock()

	bw := bufio.NewWriter(w)
	for _, f := range families {
		f.write(bw)
	}
	return bw.Flush()
}

// ContentType is the media type of the text exposition format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// ServeHTTP answers a scrape.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "no-store")
	_ = r.WriteText(w) // the scraper may have gone; nothing to do about it
}

// meta is what every family has.
type meta struct {
	name, help, kind string
	labels           []string
}

func (m meta) header(w *bufio.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", m.name, escapeHelp(m.help), m.name, m.kind)
}

// series keeps one value per combination of label values, keyed by the values joined
// with a byte that cannot appear in UTF-8 text.
type series[T any] struct {
	mu     sync.RWMutex
	byKey  map[string]*T
	values map[string][]string
	fresh  func() *T
}

func newSeries[T any](fresh func() *T) *series[T] {
	return &series[T]{byKey: map[string]*T{}, values: map[string][]string{}, fresh: fresh}
}

func (s *series[T]) get(values []string) *T {
	key := strings.Join(values, "\xff")
	s.mu.RLock()
	v := s.byKey[key]
	s.mu.RUnlock()
	if v != nil {
		return v
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if v = s.byKey[key]; v == nil {
		v = s.fresh()
		s.byKey[key] = v
		s.values[key] = slices.Clone(values)
	}
	return v
}

// each calls fn for every series, sorted by label values, so output is stable.
func (s *series[T]) each(fn func(values []string, v *T)) {
	s.mu.RLock()
	keys := make([]string, 0, len(s.byKey))
	for k := range s.byKey {
		keys = append(keys, k)
	}
	s.mu.RUnlock()
	slices.Sort(keys)
	for _, k := range keys {
		s.mu.RLock()
		v, values := s.byKey[k], s.values[k]
		s.mu.RUnlock()
		fn(values, v)
	}
}

// Counter is a family of counters: values that only go up.
type Counter struct {
	meta
	s *series[atomic.Uint64]
}

// NewCounter creates and registers a counter family with the given label names.
func (r *Registry) NewCounter(name, help string, labels ...string) *Counter {
	c := &Counter{meta: meta{name, help, "counter", labels},
		s: newSeries(func() *atomic.Uint64 { return new(atomic.Uint64) })}
	r.register(c)
	return c
}

// Inc adds one to the counter with these label values, given in the order of the label
// names.
func (c *Counter) Inc(values ...string) {
	c.check(values)
	c.s.get(values).Add(1)
}

func (c *Counter) write(w *bufio.Writer) {
	c.header(w)
	c.s.each(func(values []string, v *atomic.Uint64) {
		fmt.Fprintf(w, "%s%s %d\n", c.name, labelSet(c.labels, values, "", ""), v.Load())
	})
}

// GaugeFunc is a gauge read from a callback at every scrape.
type GaugeFunc struct {
	meta
	read func() float64
}

// NewGaugeFunc creates and registers a gauge without labels whose value read returns.
// read must be safe to call from any goroutine.
func (r *Registry) NewGaugeFunc(name, help string, read func() float64) *GaugeFunc {
	g := &GaugeFunc{meta: meta{name, help, "gauge", nil}, read: read}
	r.register(g)
	return g
}

func (g *GaugeFunc) write(w *bufio.Writer) {
	g.header(w)
	fmt.Fprintf(w, "%s %s\n", g.name, formatFloat(g.read()))
}

// Info is a gauge of constant value 1 whose labels carry facts, such as the version.
type Info struct {
	meta
	values []string
}

// NewInfo creates and registers an info metric.
func (r *Registry) NewInfo(name, help string, labels, values []string) *Info {
	i := &Info{meta: meta{name, help, "gauge", labels}, values: values}
	r.register(i)
	return i
}

func (i *Info) write(w *bufio.Writer) {
	i.header(w)
	fmt.Fprintf(w, "%s%s 1\n", i.name, labelSet(i.labels, i.values, "", ""))
}

func (m meta) check(values []string) {
	if len(values) != len(m.labels) {
		panic(fmt.Sprintf("metric %s: %d label values for %d labels", m.name, len(values), len(m.labels)))
	}
}

// labelSet renders {a="x",b="y"}, with one extra label when extra is set (le for
// histogram buckets); nothing when there are no labels.
func labelSet(names, values []string, extra, extraValue string) string {
	if len(names) == 0 && extra == "" {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(name)
		b.WriteString(`="`)
		b.WriteString(escapeLabel(values[i]))
		b.WriteByte('"')
	}
	if extra != "" {
		if len(names) > 0 {
			b.WriteByte(',')
		}
		b.WriteString(extra)
		b.WriteString(`="`)
		b.WriteString(extraValue)
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

package metrics

import (
	"bufio"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
)

// DefaultBuckets are upper bounds in seconds for request latencies, from 5 ms to 10 s.
var DefaultBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Histogram is a family of histograms: observations counted into cumulative buckets,
// with their count and sum.
type Histogram struct {
	meta
	buckets []float64
	s       *series[histogram]
}

// histogram is one series: counts[i] counts observations in (buckets[i-1], buckets[i]],
// and the last one those above every bound. The total count is their sum.
type histogram struct {
	counts  []atomic.Uint64
	sumBits atomic.Uint64
}

// NewHistogram creates and registers a histogram family with the given bucket upper
// bounds (sorted ascending) and label names.
func (r *Registry) NewHistogram(name, help string, buckets []float64, labels ...string) *Histogram {
	buckets = slices.Clone(buckets)
	slices.Sort(buckets)
	h := &Histogram{meta: meta{name, help, "histogram", labels}, buckets: buckets,
		s: newSeries(func() *histogram {
			return &histogram{counts: make([]atomic.Uint64, len(buckets)+1)}
		})}
	r.register(h)
	return h
}

// Observe records v in the histogram with these label values.
func (h *Histogram) Observe(v float64, values ...string) {
	h.check(values)
	one := h.s.get(values)
	i, _ := slices.BinarySearch(h.buckets, v) // the first bound >= v
	one.counts[i].Add(1)
	for {
		old := one.sumBits.Load()
		sum := math.Float64frombits(old) + v
		if one.sumBits.CompareAndSwap(old, math.Float64bits(sum)) {
			break
		}
	}
}

func (h *Histogram) write(w *bufio.Writer) {
	h.header(w)
	h.s.each(func(values []string, one *histogram) {
		var cumulative uint64
		for i, bound := range h.buckets {
			cumulative += one.counts[i].Load()
			fmt.Fprintf(w, "%s_bucket%s %d\n", h.name,
				labelSet(h.labels, values, "le", formatFloat(bound)), cumulative)
		}
		cumulative += one.counts[len(h.buckets)].Load()
		fmt.Fprintf(w, "%s_bucket%s %d\n", h.name, labelSet(h.labels, values, "le", "+Inf"),
			cumulative)
		sum := math.Float64frombits(one.sumBits.Load())
		fmt.Fprintf(w, "%s_sum%s %s\n", h.name, labelSet(h.labels, values, "", ""),
			formatFloat(sum))
		fmt.Fprintf(w, "%s_count%s %d\n", h.name, labelSet(h.labels, values, "", ""),
			cumulative)
	})
}

package blob

import (
	"runtime"
	"testing"
)

// BenchmarkPutLarge stores 1 GiB from a generator, never held in memory, and reports how much
// the heap and the process's memory from the Go runtime grew meanwhile. Run it with
// `go test -run '^$' -bench PutLarge ./internal/blob/`; it needs 1 GiB of free disk.
func BenchmarkPutLarge(b *testing.B) {
	const size = 1 << 30
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Put(&patternReader{n: size, seed: uint64(i)}, size); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)

	b.ReportMetric(growth(before.HeapInuse, after.HeapInuse), "heap-inuse-growth-B")
	b.ReportMetric(growth(before.Sys, after.Sys), "sys-growth-B")
}

func growth(before, after uint64) float64 {
	return float64(after) - float64(before)
}

package foldersync

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Bench tree: 50 top-level folders with 19 subfolders each (1,000 folders), 10 files of
// 1 KiB in every folder (10,000 files).
const (
	benchTop, benchSub, benchFiles = 50, 19, 10
	benchFileSize                  = 1 << 10
	benchFileCount                 = (benchTop + benchTop*benchSub) * benchFiles
)

// BenchmarkInitialScan links a folder of 10,000 files in 1,000 folders and measures the time
// until it is online, every file compared with what the Sink has and every folder watched:
// "import" starts from an empty project (each file read and hashed by the Sink), "known"
// is a restart where the Sink has every file already. Besides time it reports the peak and
// retained heap and the growth of the process's resident memory. Run it with
// `go test -run '^$' -bench InitialScan -benchtime 5x ./internal/foldersync/`.
func BenchmarkInitialScan(b *testing.B) {
	dir, files := benchTree(b)
	b.Run("import", func(b *testing.B) { benchScan(b, dir, nil) })
	b.Run("known", func(b *testing.B) { benchScan(b, dir, files) })
}

func benchScan(b *testing.B, dir string, known []File) {
	var peak, retained, rss float64
	for b.Loop() {
		b.StopTimer()
		sink := &benchSink{known: known, online: make(chan struct{})}
		runtime.GC()
		heapBefore, rssBefore := heapBytes(), residentBytes()
		stopSampling := samplePeakHeap()
		b.StartTimer()

		s := New(sink, Options{})
		if err := s.Link("p", dir); err != nil {
			b.Fatal(err)
		}
		select {
		case <-sink.online:
		case <-time.After(5 * time.Minute):
			b.Fatal("folder never came online")
		}

		b.StopTimer()
		peak = max(peak, growth(heapBefore, stopSampling()))
		runtime.GC()
		retained = max(retained, growth(heapBefore, heapBytes()))
		rss = max(rss, growth(rssBefore, residentBytes()))
		if want := benchFileCount - len(known); int(sink.upserts.Load()) != want {
			b.Fatalf("%d upserts, want %d", sink.upserts.Load(), want)
		}
		_ = s.Close()
		b.StartTimer()
	}
	b.ReportMetric(peak, "peak-heap-growth-B")
	b.ReportMetric(retained, "retained-heap-B")
	b.ReportMetric(rss, "rss-growth-B")
}

// benchTree builds the tree once for all runs, with times in the past so that every file
// is stable at once, and returns what a Sink that has it all would list.
func benchTree(b *testing.B) (string, []File) {
	dir := b.TempDir()
	content := []byte(strings.Repeat("p", benchFileSize))
	past := time.Now().Add(-time.Hour)
	var files []File
	addFiles := func(folder string) {
		for i := range benchFiles {
			rel := folder + "/file-" + strconv.Itoa(i) + ".txt"
			name := filepath.Join(dir, filepath.FromSlash(rel))
			if err := os.WriteFile(name, content, 0o644); err != nil {
				b.Fatal(err)
			}
			if err := os.Chtimes(name, past, past); err != nil {
				b.Fatal(err)
			}
			files = append(files, File{Rel: rel, Size: benchFileSize, ModTime: past})
		}
	}
	for t := range benchTop {
		top := fmt.Sprintf("Client %02d", t)
		for s := range benchSub {
			sub := fmt.Sprintf("%s/Job %02d", top, s)
			if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(sub)), 0o755); err != nil {
				b.Fatal(err)
			}
			addFiles(sub)
		}
		addFiles(top)
	}
	// The stat times must match exactly what the file system keeps.
	for i := range files {
		info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(files[i].Rel)))
		if err != nil {
			b.Fatal(err)
		}
		files[i].ModTime = info.ModTime()
	}
	return dir, files
}

// benchSink hashes what it is given with one reused buffer, as the blob store does, and
// keeps nothing. Upsert calls for one project never overlap, so the buffer is not shared.
type benchSink struct {
	known    []File
	buf      [32 << 10]byte
	upserts  atomic.Int64
	online   chan struct{}
	onlineMu sync.Once
}

func (s *benchSink) Upsert(ctx context.Context, projectID string, f File,
	open func() (io.ReadCloser, error)) error {
	rc, err := open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if _, err := io.CopyBuffer(sha256.New(), rc, s.buf[:]); err != nil {
		return err
	}
	s.upserts.Add(1)
	return nil
}

func (s *benchSink) Remove(context.Context, string, string) error { return nil }

func (s *benchSink) Known(context.Context, string) ([]File, error) { return s.known, nil }

func (s *benchSink) Status(projectID string, st Status) {
	if st.State == StateOnline {
		s.onlineMu.Do(func() { close(s.online) })
	}
}

func growth(before, after uint64) float64 {
	return float64(after) - float64(before)
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func heapBytes() uint64 {
	sample := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// samplePeakHeap watches the heap every millisecond; the returned function stops it and
// gives the highest value seen.
func samplePeakHeap() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		ticker := time.NewTicker(time.Millisecond)
		defer ticker.Stop()
		for {
			if h := heapBytes(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-done:
				return
			case <-ticker.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak.Load()
	}
}

// residentBytes is the process's resident memory (VmRSS), 0 where /proc is missing.
func residentBytes() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

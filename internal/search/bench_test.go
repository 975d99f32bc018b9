package search

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/store"
)

// The benchmarks index a generated agency: 20 projects in a shared workspace, tasks of
// 100 comments each (one in ten internal, three in ten tasks hidden, one milestone in
// four hidden), and a client who belongs to two of the projects. Their size is
// PORTICO_BENCH_COMMENTS comments (default 1,000,000); set it lower for a quick run:
//
//	PORTICO_BENCH_COMMENTS=20000 go test -run '^$' -bench . ./internal/search/
const (
	benchProjects        = 20
	benchCommentsPerTask = 100
	benchMilestones      = 4
)

func benchComments() int {
	if n, err := strconv.Atoi(os.Getenv("PORTICO_BENCH_COMMENTS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// benchWorld is built once per test binary and shared by the benchmarks.
type benchWorld struct {
	dir      string
	st       *store.Store
	ix       *Index
	owner    domain.ID
	client   domain.ID
	comments int
	vocab    []string
	// rebuilt is set once ix holds a complete index, settled once merging is over.
	rebuilt, settled bool
}

var (
	benchOnce   sync.Once
	benchShared *benchWorld
	benchErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchShared != nil {
		if benchShared.ix != nil {
			benchShared.ix.Close()
		}
		benchShared.st.Close()
		os.RemoveAll(benchShared.dir)
	}
	os.Exit(code)
}

func getBenchWorld(b *testing.B) *benchWorld {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		benchShared, benchErr = newBenchWorld(benchComments())
		if benchErr == nil {
			fmt.Printf("search bench: generated %d comments in %s\n", benchShared.comments,
				time.Since(start).Round(time.Millisecond))
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchShared
}

func newBenchWorld(comments int) (*benchWorld, error) {
	dir, err := os.MkdirTemp("", "portico-search-bench-")
	if err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(dir, "portico.db"), store.Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	bw := &benchWorld{dir: dir, st: st, comments: comments, vocab: vocabulary(5000)}
	return bw, bw.generate()
}

// vocabulary makes n distinct pronounceable words.
func vocabulary(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	syllables := strings.Fields("ka lo mi ne ru ta shi po ve da gri mon tal fen sor bi" +
		" qua zel nor pli ast ur eth vin col mar dex")
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// textGen writes sentences whose word frequencies follow Zipf's law, like real text.
type textGen struct {
	vocab []string
	zipf  *rand.Zipf
	r     *rand.Rand
}

func newTextGen(vocab []string, seed uint64) *textGen {
	r := rand.New(rand.NewPCG(seed, seed+1))
	return &textGen{vocab: vocab, r: r, zipf: rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))}
}

func (g *textGen) words(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g.vocab[g.zipf.Uint64()])
	}
	return b.String()
}

func (bw *benchWorld) generate() error {
	now := time.Now().UTC()
	bw.owner, bw.client = domain.NewID(), domain.NewID()
	ws := domain.Workspace{ID: domain.NewID(), Name: "Team", Kind: domain.WorkspaceShared, Created: now}
	var projects []domain.Project
	var milestones [][]domain.Milestone
	err := bw.st.Update(func(tx *store.Tx) error {
		err := tx.PutStaff(domain.Staff{ID: bw.owner, Email: "owner@bench.example", Name: "Owner",
			Role: domain.RoleOwner, Created: now})
		if err == nil {
			err = tx.PutClient(domain.Client{ID: bw.client, Email: "client@bench.example", Created: now})
		}
		if err == nil {
			err = tx.PutWorkspace(ws)
		}
		for i := range benchProjects {
			p := domain.Project{ID: domain.NewID(), WorkspaceID: ws.ID, Name: "Project " + strconv.Itoa(i),
				PortalOn: true, Created: now}
			projects = append(projects, p)
			if err == nil {
				err = tx.PutProject(p)
			}
			if err == nil && i < 2 {
				err = tx.PutMembership(domain.Membership{ProjectID: p.ID, ClientID: bw.client, Added: now})
			}
			var ms []domain.Milestone
			for j := range benchMilestones {
				m := domain.Milestone{ID: domain.NewID(), ProjectID: p.ID, Title: "Phase " + strconv.Itoa(j),
					Shared: j != 0, Created: now}
				ms = append(ms, m)
				if err == nil {
					err = tx.PutMilestone(m)
				}
			}
			milestones = append(milestones, ms)
		}
		return err
	})
	if err != nil {
		return err
	}
	return bw.generateTasks(projects, milestones, now)
}

func (bw *benchWorld) generateTasks(projects []domain.Project, milestones [][]domain.Milestone, now time.Time) error {
	g := newTextGen(bw.vocab, 7)
	tasks := max(1, bw.comments/benchCommentsPerTask)
	written := 0
	for first := 0; first < tasks; first += 100 {
		err := bw.st.Update(func(tx *store.Tx) error {
			for i := first; i < min(first+100, tasks); i++ {
				p, k := i%benchProjects, i/benchProjects
				t := domain.Task{ID: domain.NewID(), ProjectID: projects[p].ID,
					MilestoneID: milestones[p][k%benchMilestones].ID, Title: g.words(5),
					Description: g.words(40), Status: domain.StatusTodo, Shared: k%10 >= 3,
					Created: now, Updated: now}
				if err := tx.PutTask(t); err != nil {
					return err
				}
				for j := 0; j < benchCommentsPerTask && written < bw.comments; j++ {
					c := domain.Comment{ID: domain.NewID(), TaskID: t.ID, ProjectID: t.ProjectID,
						Author: domain.Actor{Kind: domain.ActorStaff, ID: bw.owner}, Body: g.words(10 + j%20),
						Internal: j%10 == 0, Created: now}
					if err := tx.PutComment(c); err != nil {
						return err
					}
					written++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// memPeak samples the heap in use every 10 ms until stopped, and returns its peak.
func memPeak() (stop func() uint64) {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				result <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-result
	}
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkRebuild measures a full rebuild from the database: documents per second, the
// index size on disk, and the peak heap in use while rebuilding.
func BenchmarkRebuild(b *testing.B) {
	bw := getBenchWorld(b)
	var docs, peak uint64
	b.ResetTimer()
	for range b.N {
		d, p, err := bw.rebuild()
		if err != nil {
			b.Fatal(err)
		}
		docs, peak = d, max(peak, p)
	}
	b.StopTimer()
	perRun := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(docs), "docs")
	b.ReportMetric(float64(docs)/perRun, "docs/s")
	b.ReportMetric(float64(dirSize(filepath.Join(bw.dir, "index")))/(1<<20), "index-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// rebuild rebuilds the shared index and returns the documents written and the peak heap.
func (bw *benchWorld) rebuild() (docs, peak uint64, err error) {
	if bw.ix == nil {
		if bw.ix, err = Open(filepath.Join(bw.dir, "index"), bw.st, nil, Options{}); err != nil {
			return 0, 0, err
		}
	}
	runtime.GC()
	before := bw.ix.Stats().Written
	stop := memPeak()
	err = bw.ix.Rebuild(context.Background())
	peak = stop()
	bw.rebuilt, bw.settled = err == nil, false
	return bw.ix.Stats().Written - before, peak, err
}

func (bw *benchWorld) ready(b *testing.B) *Index {
	b.Helper()
	if !bw.rebuilt {
		if _, _, err := bw.rebuild(); err != nil {
			b.Fatal(err)
		}
	}
	if !bw.settled {
		settle(filepath.Join(bw.dir, "index"))
		bw.settled = true
	}
	return bw.ix
}

// settle waits (up to two minutes) until bleve's background merging after a rebuild is
// over, seen as the segment files not changing for two seconds, so query figures are
// those of a steady index.
func settle(dir string) {
	segments := func() string {
		found, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		return strings.Join(found, ",")
	}
	last, since := segments(), time.Now()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		if now := segments(); now != last {
			last, since = now, time.Now()
		} else if time.Since(since) > 2*time.Second {
			return
		}
	}
}

// queries picks search texts of one or two words: "common" draws words with the
// frequencies of the text itself (so mostly the most frequent words, matching a large
// share of all documents: the worst case), "uniform" draws any word of the vocabulary
// alike (mostly rarer words, closer to what people search for).
func (bw *benchWorld) queries(mix string, n int) []string {
	g := newTextGen(bw.vocab, 99)
	r := rand.New(rand.NewPCG(5, 6))
	out := make([]string, n)
	for i := range out {
		if mix == "common" {
			out[i] = g.words(1 + i%2)
			continue
		}
		out[i] = bw.vocab[r.IntN(len(bw.vocab))]
		if i%2 == 1 {
			out[i] += " " + bw.vocab[r.IntN(len(bw.vocab))]
		}
	}
	return out
}

// benchQuery reports ns/op over b.N searches, and p50/p99 over one pass of 500
// distinct searches (the same set each run, so runs compare).
func benchQuery(b *testing.B, search func(text string) (Results, error)) {
	bw := getBenchWorld(b)
	bw.ready(b)
	for _, mix := range []string{"common", "uniform"} {
		b.Run("words="+mix, func(b *testing.B) {
			texts := bw.queries(mix, 500)
			durations := make([]time.Duration, len(texts))
			hits := 0
			for i, text := range texts {
				start := time.Now()
				res, err := search(text)
				durations[i] = time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				hits += res.Total
			}
			slices.Sort(durations)
			pct := func(p float64) float64 {
				return float64(durations[int(float64(len(durations)-1)*p)].Microseconds()) / 1000
			}

			b.ResetTimer()
			for i := range b.N {
				if _, err := search(texts[i%len(texts)]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(hits)/float64(len(texts)), "total/op")
		})
	}
}

// BenchmarkClientQuery is a client's search: visibility filter (2 of 20 projects, hidden
// tasks, milestones and internal comments), re-check of every counted hit against the
// access policy (up to CountCap), a page of 20 with snippets.
func BenchmarkClientQuery(b *testing.B) {
	bw := getBenchWorld(b)
	benchQuery(b, func(text string) (Results, error) {
		return bw.ix.Client(context.Background(), bw.client, Query{Text: text})
	})
}

// BenchmarkStaffQuery is an owner's search over all 20 projects, with the same counting.
func BenchmarkStaffQuery(b *testing.B) {
	bw := getBenchWorld(b)
	benchQuery(b, func(text string) (Results, error) {
		return bw.ix.Staff(context.Background(), bw.owner, Query{Text: text})
	})
}

// BenchmarkIndexing measures how fast the indexer follows committed comments: 20,000
// comments with their activity entries are committed (100 per transaction) while the
// indexer is stopped, then the indexer catches up from the log.
func BenchmarkIndexing(b *testing.B) {
	const n = 20_000
	for range b.N {
		b.StopTimer()
		bw, err := newBenchWorld(10_000)
		if err != nil {
			b.Fatal(err)
		}
		ix, err := Open(filepath.Join(bw.dir, "index"), bw.st, nil, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Rebuild(context.Background()); err != nil {
			b.Fatal(err)
		}
		if err := bw.commitComments(n); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ix.catchUp(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, lag := ix.Status(); lag != 0 {
			b.Fatalf("lag %d after catching up", lag)
		}
		ix.Close()
		bw.st.Close()
		os.RemoveAll(bw.dir)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "comments/s")
}

// commitComments adds n comments on the world's tasks, each logged like the service does.
func (bw *benchWorld) commitComments(n int) error {
	var tasks []domain.Task
	bw.st.View(func(tx *store.Tx) error {
		tasks, _ = tx.TasksAfter("", 1000)
		return nil
	})
	g := newTextGen(bw.vocab, 11)
	for first := 0; first < n; first += 100 {
		err := bw.st.Update(func(tx *store.Tx) error {
			for i := first; i < min(first+100, n); i++ {
				t := tasks[i%len(tasks)]
				c := domain.Comment{ID: domain.NewID(), TaskID: t.ID, ProjectID: t.ProjectID,
					Author: domain.Actor{Kind: domain.ActorStaff, ID: bw.owner}, Body: g.words(15),
					Created: tx.Now()}
				if err := tx.PutComment(c); err != nil {
					return err
				}
				_, err := tx.Log(domain.Activity{Actor: c.Author, Action: domain.ActionCommentAdded,
					ProjectID: t.ProjectID, TaskID: t.ID, ObjectID: c.ID})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"portico/internal/domain"
)

// seed adds n shared tasks holding word, one comment each, and waits for the index.
func (w *world) seed(word string, n int) {
	w.t.Helper()
	for i := range n {
		task := w.task(word+" task "+strconv.Itoa(i), "", true, "")
		w.comment(task.ID, word+" comment", false)
	}
	w.sync()
}

func (w *world) indexPath() string { return filepath.Join(w.dir, "index") }

func TestVersionChangeRebuildsInBackground(t *testing.T) {
	w := newWorld(t)
	w.seed("heron", 40)
	w.closeIndex()
	idx, err := bleve.Open(w.indexPath())
	if err != nil {
		t.Fatal(err)
	}
	idx.SetInternal(keyVersion, []byte(strconv.Itoa(MappingVersion-1)))
	idx.Close()

	w.openIndex(Options{})
	if ready, _ := w.ix.Status(); ready {
		t.Fatal("an index of another mapping version is reported ready")
	}
	for _, search := range []func() error{
		func() error { _, err := w.ix.Client(context.Background(), w.client, Query{Text: "heron"}); return err },
		func() error { _, err := w.ix.Staff(context.Background(), w.owner.ID, Query{Text: "heron"}); return err },
	} {
		if err := search(); !errors.Is(err, ErrRebuilding) {
			t.Errorf("search before the rebuild: got %v, want ErrRebuilding", err)
		}
	}
	late := w.task("heron written while the index was down", "", true, "")

	// Search continuously while Run rebuilds: every answer is either "rebuilding" or
	// complete, never a partial result.
	const want = 81
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var answers, rebuilding int
	wg.Go(func() {
		for i := 0; i < 100_000; i++ {
			select {
			case <-stop:
				return
			default:
			}
			res, err := w.ix.Client(context.Background(), w.client, Query{Text: "heron", Limit: 50})
			switch {
			case errors.Is(err, ErrRebuilding):
				rebuilding++
			case err != nil:
				t.Errorf("search during rebuild: %v", err)
				return
			case res.Total != want:
				t.Errorf("partial result during rebuild: total %d, want %d", res.Total, want)
				return
			default:
				answers++
			}
		}
	})
	w.startIndexer()
	w.waitReady()
	close(stop)
	wg.Wait()
	t.Logf("during the rebuild: %d rebuilding answers, %d complete answers", rebuilding, answers)

	res := w.clientSearch(w.client, Query{Text: "heron"})
	if res.Total != want || res.More {
		t.Errorf("after rebuild: total %d more %v, want %d", res.Total, res.More, want)
	}
	if !has(w.clientSearch(w.client, Query{Text: "written while down"}), late.ID) {
		t.Error("a task written before the rebuild is missing")
	}
	if s := w.ix.Stats(); s.Rebuilds != 1 || s.Written < want {
		t.Errorf("stats %+v, want one rebuild writing at least %d documents", s, want)
	}
	w.closeIndex()
	w.openIndex(Options{})
	if ready, _ := w.ix.Status(); !ready {
		t.Error("the rebuilt index is not ready after reopening")
	}
}

func TestDamagedIndexRebuilds(t *testing.T) {
	damage := map[string]func(t *testing.T, dir string){
		"segment bytes flipped": func(t *testing.T, dir string) {
			for _, seg := range segments(t, dir) {
				b := readFile(t, seg)
				for i := len(b) / 3; i < 2*len(b)/3; i++ {
					b[i] ^= 0x5a
				}
				writeFile(t, seg, b)
			}
		},
		"segment truncated": func(t *testing.T, dir string) {
			for _, seg := range segments(t, dir) {
				writeFile(t, seg, readFile(t, seg)[:100])
			}
		},
		"segment missing": func(t *testing.T, dir string) {
			for _, seg := range segments(t, dir) {
				os.Remove(seg)
			}
		},
		"root file garbage": func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "store", "root.bolt"), []byte("not a bolt file"))
		},
		"metadata garbage": func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "index_meta.json"), []byte("{garbage"))
		},
		"index folder gone": func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, corrupt := range damage {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			w.seed("dugong", 5)
			w.closeIndex()
			corrupt(t, w.indexPath())
			w.openIndex(Options{})
			// bleve may fall back to an older intact snapshot of the index; it then holds
			// the activity position of that snapshot and catches up from there.
			_, err := w.ix.Client(context.Background(), w.client, Query{Text: "dugong"})
			fellBack := err == nil
			if !fellBack && !errors.Is(err, ErrRebuilding) {
				t.Fatalf("search on a damaged index: got %v, want ErrRebuilding", err)
			}
			w.startIndexer()
			w.waitReady()
			if res := w.find("dugong"); res.Total != 10 {
				t.Errorf("after recovery: total %d, want 10", res.Total)
			}
			if got := w.ix.Stats().Rebuilds; got != 1 && !fellBack {
				t.Errorf("%d rebuilds, want 1", got)
			}
		})
	}
}

func TestRemoveRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "precious.txt"), []byte("keep me"))
	if err := removeIndex(dir); err == nil {
		t.Fatal("removeIndex deleted a folder that is not an index")
	}
	if _, err := os.Stat(filepath.Join(dir, "precious.txt")); err != nil {
		t.Fatal(err)
	}
}

// TestRestartCatchesUp: a restart resumes from the activity position stored in the index
// and indexes only what changed meanwhile.
func TestRestartCatchesUp(t *testing.T) {
	w := newWorld(t)
	w.seed("ibis", 50)
	seq := w.ix.Stats().Seq
	w.closeIndex()

	task := w.task("ibis written while stopped", "", true, "")
	comment := w.comment(task.ID, "ibis comment while stopped", false)
	hidden := w.task("ibis hidden while stopped", "", false, "")

	w.openIndex(Options{})
	if ready, lag := w.ix.Status(); !ready || lag == 0 || w.ix.Stats().Seq != seq {
		t.Fatalf("reopened: ready %v lag %d seq %d, want ready, behind, at %d", ready, lag, w.ix.Stats().Seq, seq)
	}
	w.startIndexer()
	w.sync()
	s := w.ix.Stats()
	if s.Rebuilds != 0 || s.Written != 3 {
		t.Errorf("catch-up: %d rebuilds, %d documents written; want 0 and 3", s.Rebuilds, s.Written)
	}
	res := w.clientSearch(w.client, Query{Text: "ibis stopped"})
	if res.Total != 2 || !has(res, task.ID) || !has(res, comment.ID) || has(res, hidden.ID) {
		t.Errorf("after catch-up: total %d\n%s", res.Total, describe(res))
	}
	if res := w.staffSearch(w.owner.ID, Query{Text: "ibis stopped"}); !has(res, hidden.ID) {
		t.Error("staff do not find the hidden task written while stopped")
	}
}

// TestLaggingSubscriberCatchesUp: when the hub drops the indexer's subscription for
// lagging, the indexer subscribes again and reads what it missed from the log.
func TestLaggingSubscriberCatchesUp(t *testing.T) {
	w := newWorld(t)
	w.closeIndex()
	w.openIndex(Options{BatchSize: 2})
	w.startIndexer()
	w.eventually("the indexer to subscribe", func() bool { return w.hub.Len() == 1 })
	w.hub.Publish(make([]domain.Activity, 10)) // overflows a buffer of 2: the hub drops it
	var ids []domain.ID
	for i := range 7 {
		ids = append(ids, w.task("egret "+strconv.Itoa(i), "", true, "").ID)
	}
	w.sync()
	res := w.find("egret")
	if res.Total != 7 {
		t.Errorf("total %d, want 7", res.Total)
	}
	w.eventually("the indexer to subscribe again", func() bool { return w.hub.Len() == 1 })
}

// TestOfflineRebuild is what `portico reindex` does: open without a hub, rebuild, close.
func TestOfflineRebuild(t *testing.T) {
	w := newWorld(t)
	w.seed("marmot", 3)
	w.closeIndex()
	if err := os.RemoveAll(w.indexPath()); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(w.indexPath(), w.st, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	w.openIndex(Options{})
	if ready, lag := w.ix.Status(); !ready || lag != 0 {
		t.Fatalf("after offline rebuild: ready %v lag %d", ready, lag)
	}
	if res := w.find("marmot"); res.Total != 6 {
		t.Errorf("total %d, want 6", res.Total)
	}
}

func TestClosedIndex(t *testing.T) {
	w := newWorld(t)
	ix := w.ix
	w.closeIndex()
	if _, err := ix.Client(context.Background(), w.client, Query{Text: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("search after close: %v", err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}

func segments(t *testing.T, dir string) []string {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(found) == 0 {
		t.Fatalf("no segments in %s (%v)", dir, err)
	}
	return found
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestFailingSearchRebuilds: a search that fails inside bleve (as a damaged segment
// would make it panic) schedules one rebuild, without deadlocking the search that
// reported it.
func TestFailingSearchRebuilds(t *testing.T) {
	w := newWorld(t)
	w.seed("stoat", 2)
	before := w.ix.Stats().Rebuilds  // the first, from an empty folder
	_, release, err := w.ix.reader() // as collect holds it while searching
	if err != nil {
		t.Fatal(err)
	}
	w.ix.damaged("simulated failure")
	w.ix.damaged("a second failure within the interval")
	release()
	w.eventually("the rebuild", func() bool { return w.ix.Stats().Rebuilds == before+1 })
	w.waitReady()
	if res := w.find("stoat"); res.Total != 4 {
		t.Errorf("after rebuild: total %d, want 4", res.Total)
	}
	if got := w.ix.Stats().Rebuilds; got != before+1 {
		t.Errorf("%d rebuilds, want %d", got, before+1)
	}
}

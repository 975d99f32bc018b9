package backup_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"portico/internal/backup"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
	"portico/internal/verify"
)

// TestBackupDuringWrites takes a backup while writers add tasks, comments and files and a
// deleter removes files the backup is about to copy, then restores it and checks that the
// restored folder is exactly the snapshot: the database byte for byte, every file record's
// contents present and intact, the activity chain unbroken.
func TestBackupDuringWrites(t *testing.T) {
	f := newFolder(t)
	originals := map[string][]byte{}
	var doomed []domain.File
	for i := range 24 {
		file, content := f.attach(t, fmt.Sprintf("asset-%02d.bin", i), 256<<10)
		originals[file.SHA256] = content
		doomed = append(doomed, file)
	}
	before := taskIDs(t, f.st)

	burst := startBurst(t, f, doomed)
	// Let the writers get going, so the snapshot lands in the middle of the burst.
	for deadline := time.Now().Add(30 * time.Second); burst.writes.Load() < 20; {
		if time.Now().After(deadline) {
			t.Fatal("the burst made no progress")
		}
		time.Sleep(time.Millisecond)
	}
	startWrites := burst.writes.Load()
	var archive bytes.Buffer
	out := &slowWriter{w: &archive, started: burst.snapshotTaken}
	m, err := backup.Write(context.Background(), backup.Source{Store: f.st, Blobs: f.blobs,
		CertsDir: filepath.Join(f.dir, "certs"), Version: "test"}, out)
	writes, deleted := burst.stop(t)
	if err != nil {
		t.Fatal(err)
	}
	writes -= startWrites
	if writes == 0 || deleted == 0 {
		t.Fatalf("the burst did not overlap the backup: %d writes, %d deletions", writes, deleted)
	}
	if len(m.Problems) != 0 {
		t.Fatalf("backup problems: %q", m.Problems)
	}

	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(bytes.NewReader(archive.Bytes()), dir); err != nil {
		t.Fatal(err)
	}
	restoredDB, err := os.ReadFile(filepath.Join(dir, "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(restoredDB, entries(t, archive.Bytes())["portico.db"]) {
		t.Fatal("the restored database is not the archived snapshot")
	}

	st, blobs := openRestored(t, dir)
	sum, err := verify.Folder(context.Background(), st, blobs, func(problem string) {
		t.Errorf("restored folder: %s", problem)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("during the backup: %d writes, %d deletions; restored: %s", writes, deleted, sum)

	restored := taskIDs(t, st)
	for id := range before {
		if !restored[id] {
			t.Errorf("task %s, created before the backup, is not in it", id)
		}
	}
	// The deleter only started once the snapshot was taken, so every doomed file is in
	// it, and its contents came through byte for byte even where the source lost them.
	for _, file := range doomed {
		if err := st.View(func(tx *store.Tx) error { _, err := tx.File(file.ID); return err }); err != nil {
			t.Errorf("file %s missing from the snapshot: %v", file.ID, err)
			continue
		}
		raw, err := os.ReadFile(contentPath(dir, file.SHA256))
		if err != nil || !bytes.Equal(raw, originals[file.SHA256]) {
			t.Errorf("file %s: restored contents differ from the original: %v", file.ID, err)
		}
	}
}

// burst writes through the service until stopped: writers add a task, a comment and a
// small file in a loop; the deleter waits for the backup's snapshot, then deletes doomed.
type burst struct {
	snapshotTaken chan struct{}
	cancel        context.CancelFunc
	wg            sync.WaitGroup
	writes        atomic.Int64
	deleted       atomic.Int64
	errs          chan error
}

func startBurst(t *testing.T, f *folder, doomed []domain.File) *burst {
	ctx, cancel := context.WithCancel(context.Background())
	b := &burst{snapshotTaken: make(chan struct{}), cancel: cancel, errs: make(chan error, 64)}
	for g := range 4 {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			for i := 0; ctx.Err() == nil && i < 100_000; i++ {
				if err := b.write(f, g, i); err != nil {
					b.errs <- err
					return
				}
				b.writes.Add(1)
			}
		}()
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		select {
		case <-b.snapshotTaken:
		case <-ctx.Done():
			return
		}
		for _, file := range doomed {
			if ctx.Err() != nil {
				return
			}
			if err := f.svc.DeleteFile(f.owner, file.ID); err != nil {
				b.errs <- err
				return
			}
			b.deleted.Add(1)
			time.Sleep(2 * time.Millisecond)
		}
	}()
	return b
}

func (b *burst) write(f *folder, g, i int) error {
	title := fmt.Sprintf("burst %d.%d", g, i)
	task, err := f.svc.CreateTask(f.owner, f.project, service.TaskInput{Title: &title})
	if err != nil {
		return err
	}
	if _, err := f.svc.AddComment(f.owner, task.ID, "comment on "+title, false); err != nil {
		return err
	}
	_, err = f.svc.AttachFile(f.owner, task.ID, service.Upload{Name: title + ".txt",
		Body: bytes.NewReader([]byte("contents of " + title))})
	return err
}

func (b *burst) stop(t *testing.T) (writes, deleted int64) {
	writes, deleted = b.writes.Load(), b.deleted.Load()
	b.cancel()
	b.wg.Wait()
	close(b.errs)
	for err := range b.errs {
		t.Errorf("burst write: %v", err)
	}
	return writes, deleted
}

// slowWriter paces the backup so the burst runs through it, and closes started at its
// first write, which the archive makes inside the snapshot's read transaction.
type slowWriter struct {
	w       io.Writer
	started chan struct{}
	once    sync.Once
}

func (s *slowWriter) Write(p []byte) (int, error) {
	s.once.Do(func() { close(s.started) })
	time.Sleep(time.Millisecond)
	return s.w.Write(p)
}

func taskIDs(t *testing.T, st *store.Store) map[domain.ID]bool {
	t.Helper()
	ids := map[domain.ID]bool{}
	err := st.View(func(tx *store.Tx) error {
		for after := domain.ID(""); ; {
			tasks, err := tx.TasksAfter(after, 500)
			if err != nil || len(tasks) == 0 {
				return err
			}
			for _, task := range tasks {
				ids[task.ID] = true
			}
			after = tasks[len(tasks)-1].ID
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func openRestored(t *testing.T, dir string) (*store.Store, *blob.Store) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "portico.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := blob.Open(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	return st, blobs
}

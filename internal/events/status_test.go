package events

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"portico/internal/domain"
)

func TestStatusFeedKeepsTheLatestPerProject(t *testing.T) {
	f := NewStatusFeed()
	w := f.Watch()
	defer w.Close()
	f.Publish(FolderStatus{ProjectID: "a", State: "scanning"})
	f.Publish(FolderStatus{ProjectID: "b", State: "scanning"})
	f.Publish(FolderStatus{ProjectID: "a", State: "degraded", Message: "watch limit"})

	select {
	case <-w.Ready():
	default:
		t.Fatal("Ready did not signal waiting statuses")
	}
	want := []FolderStatus{
		{ProjectID: "a", State: "degraded", Message: "watch limit"},
		{ProjectID: "b", State: "scanning"},
	}
	if got := w.Take(); !reflect.DeepEqual(got, want) {
		t.Errorf("took %+v, want %+v", got, want)
	}
	if got := w.Take(); got != nil {
		t.Errorf("a second Take returned %+v, want nothing", got)
	}
}

func TestStatusFeedNeverBlocksOnASlowWatcher(t *testing.T) {
	f := NewStatusFeed()
	slow := f.Watch() // never reads
	defer slow.Close()
	fast := f.Watch()
	defer fast.Close()

	const n = 10_000
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range n {
			f.Publish(FolderStatus{ProjectID: domain.ID(rune('a' + i%3)), State: "online"})
		}
		f.Publish(FolderStatus{ProjectID: "z", State: "offline"})
	})
	last := map[domain.ID]string{}
	deadline := time.After(10 * time.Second)
	for last["z"] != "offline" {
		select {
		case <-fast.Ready():
			for _, st := range fast.Take() {
				last[st.ProjectID] = st.State
			}
		case <-deadline:
			t.Fatal("the fast watcher never saw the last status")
		}
	}
	wg.Wait()
	if got := len(slow.Take()); got != 4 {
		t.Errorf("the slow watcher holds %d statuses, want one per project (4)", got)
	}
}

func TestStatusWatchClose(t *testing.T) {
	f := NewStatusFeed()
	w := f.Watch()
	w.Close()
	w.Close()
	f.Publish(FolderStatus{ProjectID: "a", State: "online"})
	if f.Len() != 0 || w.Take() != nil {
		t.Fatal("a closed watcher is still fed")
	}
}

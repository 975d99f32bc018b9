package events

import (
	"testing"

	"portico/internal/domain"
)

func entries(n int) []domain.Activity {
	out := make([]domain.Activity, n)
	for i := range out {
		out[i].Seq = uint64(i + 1)
	}
	return out
}

func TestPublishInOrder(t *testing.T) {
	h := New()
	sub := h.Subscribe(10)
	defer sub.Close()
	h.Publish(entries(3))
	for want := uint64(1); want <= 3; want++ {
		if got := (<-sub.C).Seq; got != want {
			t.Fatalf("got seq %d, want %d", got, want)
		}
	}
}

func TestSlowSubscriberIsClosed(t *testing.T) {
	h := New()
	slow := h.Subscribe(2)
	fast := h.Subscribe(10)
	defer fast.Close()
	h.Publish(entries(5))
	n := 0
	for range slow.C {
		n++
	}
	if !slow.Lagged() || n != 2 {
		t.Fatalf("slow subscriber: lagged=%v after %d entries, want closed after 2", slow.Lagged(), n)
	}
	if len(fast.C) != 5 || fast.Lagged() {
		t.Fatalf("fast subscriber got %d entries, lagged=%v", len(fast.C), fast.Lagged())
	}
	if h.Len() != 1 {
		t.Fatalf("hub has %d subscriptions, want 1", h.Len())
	}
}

func TestCloseTwice(t *testing.T) {
	h := New()
	sub := h.Subscribe(1)
	sub.Close()
	sub.Close()
	h.Publish(entries(1))
	if h.Len() != 0 {
		t.Fatal("closed subscription still registered")
	}
}

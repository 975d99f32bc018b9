package store

import (
	"reflect"
	"testing"
	"time"

	"portico/internal/domain"
)

func TestTaskCodecRoundTrip(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 4, 5, 123456789, time.UTC)
	cases := []domain.Task{
		{},
		{ID: domain.NewID(), ProjectID: domain.NewID(), MilestoneID: domain.NewID(),
			Title: "Send brand assets ✓", Description: "**logo**\n\nand \x01 bytes",
			Status: domain.StatusDone, Due: "2026-12-31",
			Assignee: domain.Actor{Kind: domain.ActorClient, ID: domain.NewID()},
			Shared:   true, Order: -42, Created: now, Updated: now.Add(time.Hour),
			CompletedAt: now.Add(2 * time.Hour),
			CompletedBy: domain.Actor{Kind: domain.ActorStaff, ID: domain.NewID()}},
		{Title: "before 1970", Created: time.Date(1960, 1, 1, 0, 0, 0, 1, time.UTC)},
	}
	for _, want := range cases {
		got, err := decodeTask(encodeTask(want))
		if err != nil {
			t.Fatalf("decode %q: %v", want.Title, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip changed the task:\n got %+v\nwant %+v", got, want)
		}
	}
}

func TestTaskCodecRejectsDamage(t *testing.T) {
	raw := encodeTask(domain.Task{ID: domain.NewID(), Title: "x", Created: time.Now().UTC()})
	for cut := 0; cut < len(raw); cut++ {
		if _, err := decodeTask(raw[:cut]); err == nil {
			t.Fatalf("a record cut to %d of %d bytes decoded without error", cut, len(raw))
		}
	}
}

package service_test

import (
	"errors"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// TestTaskDescriptionBase walks the rules for a description saved from a named base: a
// stale base is refused and writes nothing, a fresh base or none at all saves, and a stale
// base whose text equals the stored one loses nobody's work, so it saves too.
func TestTaskDescriptionBase(t *testing.T) {
	f := newFixture(t, true)
	task := f.task(t, "Logo", false)
	first, theirs, mine := "first", "their text", "my text"
	must(f.svc.UpdateTask(f.owner.ID, task.ID, service.TaskInput{Description: &first}))(t)
	base := service.DescriptionHash(first)
	must(f.svc.UpdateTask(f.owner.ID, task.ID,
		service.TaskInput{Description: &theirs, BaseDescriptionHash: &base}))(t)
	seq := f.lastSeq(t)

	_, err := f.svc.UpdateTask(f.owner.ID, task.ID,
		service.TaskInput{Description: &mine, BaseDescriptionHash: &base})
	if !errors.Is(err, domain.ErrConflict) || !strings.Contains(err.Error(), "someone else") {
		t.Fatalf("save from a stale base: %v, want ErrConflict saying why", err)
	}
	if got := f.storedTask(t, task.ID); got.Description != theirs || f.lastSeq(t) != seq {
		t.Errorf("a refused save wrote: %q, log %d -> %d", got.Description, seq, f.lastSeq(t))
	}

	same := must(f.svc.UpdateTask(f.owner.ID, task.ID,
		service.TaskInput{Description: &theirs, BaseDescriptionHash: &base}))(t)
	if same.Description != theirs {
		t.Errorf("the same text from a stale base gave %q", same.Description)
	}

	upper := strings.ToUpper(service.DescriptionHash(theirs))
	saved := must(f.svc.UpdateTask(f.owner.ID, task.ID,
		service.TaskInput{Description: &mine, BaseDescriptionHash: &upper}))(t)
	if saved.Description != mine {
		t.Errorf("save from the current base gave %q", saved.Description)
	}

	last := "no base"
	saved = must(f.svc.UpdateTask(f.owner.ID, task.ID, service.TaskInput{Description: &last}))(t)
	if saved.Description != last {
		t.Errorf("save without a base gave %q", saved.Description)
	}
}

// TestTaskDescriptionBaseBadInput checks that a base is refused where it makes no sense,
// naming the field, before anything is written.
func TestTaskDescriptionBaseBadInput(t *testing.T) {
	f := newFixture(t, true)
	task := f.task(t, "Copy", false)
	title, text := "New title", "text"
	good := service.DescriptionHash("")
	cases := []struct {
		name string
		in   service.TaskInput
	}{
		{"without a description", service.TaskInput{Title: &title, BaseDescriptionHash: &good}},
		{"not hex", service.TaskInput{Description: &text, BaseDescriptionHash: new("zz")}},
		{"too short", service.TaskInput{Description: &text, BaseDescriptionHash: new(good[:20])}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seq := f.lastSeq(t)
			_, err := f.svc.UpdateTask(f.owner.ID, task.ID, c.in)
			var invalid *domain.ValidationError
			if !errors.As(err, &invalid) || invalid.Field != "base_description_hash" {
				t.Fatalf("got %v, want a validation error on base_description_hash", err)
			}
			if got := f.storedTask(t, task.ID); got.Title != "Copy" || f.lastSeq(t) != seq {
				t.Errorf("a refused change wrote: %+v", got)
			}
		})
	}
	_, err := f.svc.CreateTask(f.owner.ID, f.project.ID,
		service.TaskInput{Title: &title, BaseDescriptionHash: &good})
	var invalid *domain.ValidationError
	if !errors.As(err, &invalid) || invalid.Field != "base_description_hash" {
		t.Errorf("create with a base: %v, want a validation error", err)
	}
}

func (f *fixture) storedTask(tb testing.TB, id domain.ID) domain.Task {
	tb.Helper()
	var t domain.Task
	err := f.st.View(func(tx *store.Tx) error {
		var err error
		t, err = tx.Task(id)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func (f *fixture) lastSeq(tb testing.TB) uint64 {
	tb.Helper()
	var seq uint64
	f.st.View(func(tx *store.Tx) error {
		seq = tx.LastActivitySeq()
		return nil
	})
	return seq
}

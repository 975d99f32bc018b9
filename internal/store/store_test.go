package store_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portico/internal/domain"
	"portico/internal/store"
)

func openTemp(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "portico.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		st.Close()
	})
	return st, path
}

func TestSecondOpenSaysInUse(t *testing.T) {
	_, path := openTemp(t)
	start := time.Now()
	_, err := store.Open(path, store.Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second open: got %v, want ErrInUse", err)
	}
	var inUse *store.InUseError
	if !errors.As(err, &inUse) || inUse.PID == 0 {
		t.Fatalf("error does not name the holding process: %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("second open hung for %s", time.Since(start))
	}
}

func TestReopenKeepsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portico.db")
	for range 2 {
		st, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
}

func TestNotFoundIsAnError(t *testing.T) {
	st, _ := openTemp(t)
	err := st.View(func(tx *store.Tx) error {
		_, err := tx.Task(domain.NewID())
		return err
	})
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
}

func logSome(t *testing.T, st *store.Store, n int, project domain.ID) []domain.Activity {
	t.Helper()
	var got []domain.Activity
	st.OnCommit(func(a []domain.Activity) { got = append(got, a...) })
	for range n {
		err := st.Update(func(tx *store.Tx) error {
			_, err := tx.Log(domain.Activity{Action: domain.ActionTaskCreated, ProjectID: project,
				TaskID: domain.NewID()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return got
}

func TestActivityChain(t *testing.T) {
	st, _ := openTemp(t)
	project := domain.NewID()
	published := logSome(t, st, 5, project)
	if len(published) != 5 {
		t.Fatalf("commit hook saw %d entries, want 5", len(published))
	}
	for i, a := range published {
		if a.Seq != uint64(i+1) {
			t.Errorf("entry %d has seq %d", i, a.Seq)
		}
		if i > 0 && a.PrevHash != published[i-1].Hash {
			t.Errorf("entry %d does not chain to the one before", i)
		}
	}
	err := st.View(func(tx *store.Tx) error {
		problems, err := tx.VerifyActivity()
		if len(problems) > 0 {
			t.Errorf("clean log reported problems: %v", problems)
		}
		recent, _ := tx.ProjectActivity(project, 0, 3)
		if len(recent) != 3 || recent[0].Seq != 5 || recent[2].Seq != 3 {
			t.Errorf("project activity newest first: got %+v", recent)
		}
		older, _ := tx.ProjectActivity(project, 3, 10)
		if len(older) != 2 || older[0].Seq != 2 {
			t.Errorf("project activity before 3: got %+v", older)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestActivityTamperDetected(t *testing.T) {
	st, _ := openTemp(t)
	logSome(t, st, 3, domain.NewID())
	// Rewrite entry 2 behind the store's back, as an attacker with the file would.
	err := st.DB().Update(func(btx *bolt.Tx) error {
		b := btx.Bucket([]byte("activity"))
		key := []byte{0, 0, 0, 0, 0, 0, 0, 2}
		raw := b.Get(key)
		changed := []byte(string(raw))
		copy(changed[len(`{"seq":2,"time":"`):], "1999")
		return b.Put(key, changed)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(func(tx *store.Tx) error {
		problems, err := tx.VerifyActivity()
		if len(problems) == 0 || problems[0].Seq != 2 {
			t.Errorf("tampering not found at entry 2: %v", problems)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReissuedTokenReplacesOld(t *testing.T) {
	st, _ := openTemp(t)
	user := domain.Actor{Kind: domain.ActorClient, ID: domain.NewID()}
	first, second := [32]byte{1}, [32]byte{2}
	exp := time.Now().Add(time.Hour)
	err := st.Update(func(tx *store.Tx) error {
		tok := domain.Token{Purpose: domain.PurposeInvite, User: user, Expires: exp}
		if err := tx.PutToken(first, tok); err != nil {
			return err
		}
		return tx.PutToken(second, domain.Token{Purpose: domain.PurposeInvite, User: user, Expires: exp})
	})
	if err != nil {
		t.Fatal(err)
	}
	st.View(func(tx *store.Tx) error {
		a, _ := tx.Token(first)
		b, _ := tx.Token(second)
		if a.Usable(time.Now()) || !b.Usable(time.Now()) {
			t.Errorf("old usable=%v new usable=%v, want false, true", a.Usable(time.Now()), b.Usable(time.Now()))
		}
		return nil
	})
}

func TestDeleteUserSessionsKeepsOne(t *testing.T) {
	st, _ := openTemp(t)
	user := domain.Actor{Kind: domain.ActorStaff, ID: domain.NewID()}
	keep := [32]byte{9}
	err := st.Update(func(tx *store.Tx) error {
		for i := range 3 {
			if err := tx.PutSession([32]byte{byte(i + 1)}, domain.Session{User: user}); err != nil {
				return err
			}
		}
		if err := tx.PutSession(keep, domain.Session{User: user}); err != nil {
			return err
		}
		n, err := tx.DeleteUserSessions(user.ID, keep)
		if n != 3 {
			t.Errorf("ended %d sessions, want 3", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	st.View(func(tx *store.Tx) error {
		if _, err := tx.Session(keep); err != nil {
			t.Errorf("kept session is gone: %v", err)
		}
		if _, err := tx.Session([32]byte{1}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ended session still there: %v", err)
		}
		return nil
	})
}

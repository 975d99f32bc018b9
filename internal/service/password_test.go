package service_test

import (
	"errors"
	"testing"

	"portico/internal/domain"
)

func TestSetOwnPassword(t *testing.T) {
	f := newFixture(t, true)
	who := domain.Actor{Kind: domain.ActorStaff, ID: f.owner.ID}
	keep := must(f.svc.NewSession(who))(t)
	other := must(f.svc.NewSession(who))(t)

	var invalid *domain.ValidationError
	if err := f.svc.SetOwnPassword(who, keep, "short"); !errors.As(err, &invalid) {
		t.Fatalf("a short password: got %v, want a validation error", err)
	}
	if err := f.svc.SetOwnPassword(who, keep, "a brand new password"); err != nil {
		t.Fatal(err)
	}

	_, _, err := f.svc.SignIn(domain.ActorStaff, "owner@agency.example", "a brand new password")
	if err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	if _, err := f.svc.Authenticate(domain.ActorStaff, keep); err != nil {
		t.Errorf("the session that set the password ended: %v", err)
	}
	if _, err := f.svc.Authenticate(domain.ActorStaff, other); err == nil {
		t.Error("another session survived the new password")
	}
}

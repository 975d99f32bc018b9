package tlsca

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// States of an ACME certificate, as ACMEStatus reports them.
const (
	// ACMEOK means a valid certificate is served and the last attempt to get one worked.
	ACMEOK = "ok"
	// ACMEObtaining means no certificate has arrived yet and none has failed either.
	ACMEObtaining = "obtaining"
	// ACMEFailing means the last attempt to obtain or renew failed; certmagic retries
	// with growing pauses, and meanwhile the last valid certificate, or the fallback,
	// is served.
	ACMEFailing = "failing"
)

// acmeEvents are the certmagic events acmeStatus follows.
var acmeEvents = map[string]bool{"cert_obtained": true, "cert_failed": true}

// maxErrorLength bounds the error ACMEStatus reports; CA problems can be long.
const maxErrorLength = 1000

// ACMEStatus is the state of the ACME certificate, for staff to see.
type ACMEStatus struct {
	// Domain is the name the certificate is for.
	Domain string
	// State is ACMEOK, ACMEObtaining or ACMEFailing.
	State string
	// LastError is why the last attempt failed; empty unless State is ACMEFailing.
	LastError string
	// NotAfter is when the served certificate expires; zero while none is served.
	NotAfter time.Time
	// Issuer names the CA certificate that signed the served certificate.
	Issuer string
}

// Status reports the certificate's state.
func (a *ACME) Status() ACMEStatus {
	st := ACMEStatus{Domain: a.domain, State: ACMEObtaining}
	if cert := a.current(time.Now()); cert != nil {
		st.State = ACMEOK
		st.NotAfter = cert.Leaf.NotAfter
		st.Issuer = issuerName(cert.Leaf)
	}
	if lastErr := a.status.lastError(); lastErr != "" {
		st.State = ACMEFailing
		st.LastError = lastErr
	}
	return st
}

// acmeStatus follows certmagic's events: each attempt to obtain or renew the certificate
// ends with cert_obtained or cert_failed.
type acmeStatus struct {
	domain string
	log    *slog.Logger

	mu      sync.Mutex
	failure string // error of the last attempt, when it failed
}

func (s *acmeStatus) lastError() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failure
}

// onEvent records and logs the outcome of an attempt. It never vetoes an event.
func (s *acmeStatus) onEvent(_ context.Context, event string, data map[string]any) error {
	renewal, _ := data["renewal"].(bool)
	switch event {
	case "cert_obtained":
		s.mu.Lock()
		s.failure = ""
		s.mu.Unlock()
		s.log.Info("https certificate obtained", "domain", s.domain, "renewal", renewal,
			"acme_ca", data["issuer"])
	case "cert_failed":
		s.failed(renewal, errorText(data["error"]))
	}
	return nil
}

// failed records and logs a failed attempt.
func (s *acmeStatus) failed(renewal bool, message string) {
	s.mu.Lock()
	s.failure = message
	s.mu.Unlock()
	s.log.Warn("https certificate not obtained; retrying later, meanwhile the portal "+
		"serves the last valid or the local certificate", "domain", s.domain,
		"renewal", renewal, "error", message)
}

// errorText renders an event's error for people, bounded in length.
func errorText(v any) string {
	text := strings.TrimSpace(fmt.Sprint(v))
	if v == nil || text == "" {
		text = "unknown error"
	}
	if len(text) > maxErrorLength {
		text = strings.ToValidUTF8(text[:maxErrorLength], "") + "…"
	}
	return text
}

// issuerName names the certificate's issuer: its common name, with the organization
// when the common name alone does not say it.
func issuerName(leaf *x509.Certificate) string {
	cn := leaf.Issuer.CommonName
	if len(leaf.Issuer.Organization) == 0 {
		return cn
	}
	org := leaf.Issuer.Organization[0]
	switch {
	case cn == "":
		return org
	case strings.Contains(cn, org):
		return cn
	}
	return org + " " + cn
}

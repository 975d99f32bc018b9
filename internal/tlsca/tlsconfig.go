package tlsca

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/caddyserver/certmagic"
)

// TLSConfig returns a TLS server configuration whose certificates come from ca and are
// managed by certmagic: one certificate per name in names that ca's constraints permit,
// kept in storageDir, loaded from there when still valid, and renewed in the background
// before they expire. Names ca does not permit are logged as warnings and left out.
//
// Connections without SNI (clients of https://127.0.0.1:8443 send none) get the
// certificate for the local address they connected to, or else the one for the first
// IP in names. Connections whose SNI matches no name get the first DNS name's.
//
// TLSConfig obtains the missing certificates before it returns. Certificate maintenance
// stops when ctx ends. No network traffic is involved: no ACME, no OCSP, no renewal
// info. Call TLSConfig once per process and share the result between listeners.
func TLSConfig(ctx context.Context, ca *CA, storageDir string, names Names,
	logger *slog.Logger) (*tls.Config, error) {
	m, err := startManager(ctx, ca, storageDir, names, logger, defaultPolicy)
	if err != nil {
		return nil, err
	}
	return m.tlsConfig(), nil
}

// manager runs certmagic for the local CA's certificates.
type manager struct {
	magic   *certmagic.Config
	cache   *certmagic.Cache
	storage *closingStorage
	once    sync.Once
	done    chan struct{} // closed when maintenance has stopped and storage is closed
}

// startManager obtains or loads certificates for the names ca covers and keeps them
// renewed until ctx ends.
func startManager(ctx context.Context, ca *CA, storageDir string, names Names,
	logger *slog.Logger, policy leafPolicy) (*manager, error) {
	covered, left := ca.cover(names)
	for _, name := range left {
		logger.Warn("name not permitted by local ca; left out of certificates", "name", name,
			"hint", "delete the local ca folder to create a ca for it; clients must trust it again")
	}
	subjects := covered.subjects()
	if len(subjects) == 0 {
		return nil, errors.New("local certificates: no name permitted by the local ca")
	}

	m := newManager(ca, storageDir, covered, logger, policy)
	if err := m.magic.ManageSync(ctx, subjects); err != nil {
		m.stop()
		return nil, fmt.Errorf("local certificates: %w", err)
	}

	go func() {
		<-ctx.Done()
		m.stop()
	}()
	return m, nil
}

// newManager sets up the certmagic cache and configuration, without obtaining anything.
func newManager(ca *CA, storageDir string, names Names, logger *slog.Logger,
	policy leafPolicy) *manager {
	var current atomic.Pointer[certmagic.Config]
	zapLogger := newZapLogger(logger)
	cache := certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) {
			return current.Load(), nil
		},
		RenewCheckInterval: policy.checkEvery,
		Logger:             zapLogger,
	})

	storage := newClosingStorage(&certmagic.FileStorage{Path: storageDir})
	magic := certmagic.New(cache, certmagic.Config{
		RenewalWindowRatio: policy.renewRatio,
		OnEvent:            logEvent(logger),
		ShouldEmitFunc:     func(event string) bool { return event == "cert_obtained" },
		DefaultServerName:  defaultName(names),
		FallbackServerName: fallbackName(names),
		Issuers:            []certmagic.Issuer{issuer{ca: ca, policy: policy}},
		KeySource:          certmagic.StandardKeyGenerator{KeyType: certmagic.P256},
		OCSP:               certmagic.OCSPConfig{DisableStapling: true},
		Storage:            storage,
		DisableARI:         true,
		Logger:             zapLogger,
	})
	current.Store(magic)
	return &manager{magic: magic, cache: cache, storage: storage, done: make(chan struct{})}
}

// tlsConfig returns a server configuration that takes its certificates from m.
func (m *manager) tlsConfig() *tls.Config {
	return &tls.Config{
		GetCertificate: m.magic.GetCertificate,
		MinVersion:     tls.VersionTLS12,
		NextProtos:     []string{"h2", "http/1.1"},
	}
}

// stop ends certificate maintenance, waits for storage writes to finish and closes done.
// Calls after the first wait for done.
func (m *manager) stop() {
	m.once.Do(func() {
		m.cache.Stop()
		m.storage.close()
		close(m.done)
	})
	<-m.done
}

// logEvent returns a certmagic event callback that logs new and renewed certificates.
func logEvent(logger *slog.Logger) func(context.Context, string, map[string]any) error {
	return func(_ context.Context, event string, data map[string]any) error {
		if event == "cert_obtained" {
			logger.Info("local certificate issued", "name", data["identifier"],
				"renewal", data["renewal"])
		}
		return nil
	}
}

// defaultName is the name whose certificate serves connections without SNI, which come
// from clients that connected to an IP address.
func defaultName(names Names) string {
	if len(names.IPs) > 0 {
		return names.IPs[0].String()
	}
	return names.subjects()[0]
}

// fallbackName is the name whose certificate serves connections with an unknown SNI.
func fallbackName(names Names) string {
	if len(names.DNS) > 0 {
		return names.DNS[0]
	}
	return names.subjects()[0]
}

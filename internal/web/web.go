// Package web holds the HTTP pieces the portal and the staff API share: security headers,
// session cookies, the caller's address, the mapping from domain errors to statuses, the
// deadlines on slow request bodies, and the cap on event streams per session.
package web

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"portico/internal/domain"
	"portico/internal/service"
)

// Cookie names differ between the two surfaces: browsers share cookies across the ports
// of one host, so a staff session must never be read as a client session or the reverse.
const (
	ClientCookie = "portico_client"
	StaffCookie  = "portico_staff"
)

// cookieLifetime is how long a browser keeps a session cookie: the longest browsers allow.
// The server decides when the session itself ends (it slides with use), so the cookie
// must not end an active session early.
const cookieLifetime = 400 * 24 * time.Hour

// SetSession writes a session cookie: Secure, HttpOnly, SameSite=Lax, for the whole site.
func SetSession(w http.ResponseWriter, name, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: secret, Path: "/", MaxAge: int(cookieLifetime.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

// ClearSession removes a session cookie.
func ClearSession(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

// SessionSecret returns the session secret from the named cookie, or "".
func SessionSecret(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// PageHeaders sets the headers every HTML page and file download carries.
func PageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
		"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "+
		"frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// Status maps an error from the service to an HTTP status.
func Status(err error) int {
	var invalid *domain.ValidationError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &invalid):
		return http.StatusBadRequest
	case errors.Is(err, domain.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, domain.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, domain.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, service.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, service.ErrBadCredentials):
		return http.StatusUnauthorized
	case errors.Is(err, service.ErrInvalidLink):
		return http.StatusGone
	case errors.Is(err, service.ErrRateLimited):
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// Proxies is the set of reverse proxies whose X-Forwarded-For is believed.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of addresses or CIDR prefixes.
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			addr, err := netip.ParseAddr(part)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// ClientAddr returns the caller's IP address: the connection's peer, or, when the peer is
// a trusted proxy, the nearest untrusted address in X-Forwarded-For.
func (p Proxies) ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !p.trusted(addr) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !p.trusted(hop) {
			return hop.String()
		}
	}
	return host
}

func (p Proxies) trusted(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, prefix := range p {
		if prefix.Contains(addr) {
			return true
		}
	}
	return false
}

package staffapi

import (
	"net/http"
	"time"
)

// Modes of TLSStatus.
const (
	// TLSModeLocal means the portal serves certificates of Portico's local CA.
	TLSModeLocal = "local"
	// TLSModeACME means the portal gets a publicly trusted certificate by ACME.
	TLSModeACME = "acme"
)

// TLSStatus is what GET /api/v1/tls reports about the portal's HTTPS certificate.
type TLSStatus struct {
	// Mode is TLSModeLocal or TLSModeACME.
	Mode string `json:"mode"`
	// Domain is the name of the ACME certificate; empty in local mode.
	Domain string `json:"domain"`
	// Status is "ok", "obtaining" (no ACME certificate yet) or "failing" (the last
	// attempt to obtain or renew failed); always "ok" in local mode.
	Status string `json:"status"`
	// LastError says why the last attempt failed, when it did.
	LastError string `json:"last_error"`
	// NotAfter is when the served ACME certificate expires; nil while there is none.
	NotAfter *time.Time `json:"not_after"`
	// Issuer names the CA that signed the served ACME certificate.
	Issuer string `json:"issuer"`
	// CAFingerprint is the local CA's SHA-256 fingerprint, which clients compare before
	// trusting the CA (in ACME mode, the local CA still serves the staff listener and
	// stands in for the portal until the ACME certificate arrives).
	CAFingerprint string `json:"ca_fingerprint"`
}

// tlsStatus reports the portal's certificate state.
func (a *api) tlsStatus(w http.ResponseWriter, r *http.Request, _ caller) {
	if a.tls == nil {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "this server reports no tls status"})
		return
	}
	writeJSON(w, http.StatusOK, a.tls())
}

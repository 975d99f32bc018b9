// Package tlsca is Portico's local certificate authority and the TLS configuration built on it.
//
// Portico serves HTTPS even where no public certificate authority can reach it: on
// localhost, on a LAN address, on a host name only the office knows. For those names it
// keeps its own CA in the data folder (LoadOrCreate) and lets certmagic manage short-lived
// leaf certificates signed by that CA (TLSConfig), renewing them before they expire.
//
// Clients are asked to trust the CA, so the CA is name-constrained (a critical
// NameConstraints extension): it can only vouch for localhost, loopback and private
// address ranges, and for the host names and addresses it was created for. A stolen CA
// key therefore cannot impersonate public sites.
//
// When the names change later, the CA is kept as it is: its constraints were fixed when
// it was created. Leaf certificates are issued only for the names its constraints
// permit; any other name is logged as a warning and left out. Private and loopback
// addresses are always permitted, so a new LAN address needs nothing. To cover a new
// public host name or address, delete the CA folder: the next start creates a new CA
// (with a new fingerprint), and every client must trust that new CA again. Leaf
// certificates of the old CA are stored under a different issuer key and are not served
// again.
//
// With a public domain, ACME keeps a publicly trusted certificate for the portal instead:
// certmagic obtains and renews it from an ACME CA (Let's Encrypt unless told otherwise),
// answering HTTP-01 challenges on a plain-HTTP listener and TLS-ALPN-01 challenges on the
// portal itself. Until that certificate exists, and whenever it has expired, the local
// CA's certificate serves, so the portal never goes down over a certificate.
package tlsca

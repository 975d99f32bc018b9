package main

import (
	"flag"

	"portico/internal/server"
	"portico/internal/tlsca"
)

// tlsFlags defines the flags of the portal's public certificate, for serve and the
// desktop alike (portalFlags calls it).
func tlsFlags(fs *flag.FlagSet, cfg *server.Config) {
	fs.StringVar(&cfg.Domain, "domain", "", "public host name of the portal, such as "+
		"portal.example.com: its certificate comes by ACME and it listens on :443 and :80; "+
		"without a domain, certificates come from the local CA")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", "", "with --domain: plain-HTTP listen address that "+
		"answers ACME challenges and redirects to HTTPS (default :80)")
	fs.StringVar(&cfg.ACMECA, "acme-ca", "", "with --domain: directory URL of the ACME CA "+
		"(default Let's Encrypt, "+tlsca.LetsEncrypt+")")
	fs.StringVar(&cfg.ACMEEmail, "acme-email", "", "with --domain: contact email of the ACME "+
		"account")
	fs.StringVar(&cfg.ACMECARoot, "acme-ca-root", "", "with --domain: PEM file of root "+
		"certificates to trust for the ACME CA's own HTTPS (a private ACME CA)")
}

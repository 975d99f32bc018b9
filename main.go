// Command portico runs Portico: `portico serve` starts the client portal and the staff
// surface over one data folder.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"portico/internal/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "portico:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("this build has no desktop window; run `portico serve --data DIR` " +
			"(see `portico serve -h`)")
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "portico", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

const usage = `usage:
  portico serve --data DIR [flags]   run the client portal and the staff surface
  portico version                    print the version`

func serve(args []string, stdout, stderr io.Writer) error {
	var cfg server.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.DataDir, "data", defaultDataDir(), "data folder")
	fs.StringVar(&cfg.PortalAddr, "portal-addr", ":8443", "client portal listen address")
	fs.StringVar(&cfg.StaffAddr, "staff-addr", "127.0.0.1:8444", "staff listen address")
	fs.StringVar(&cfg.PublicURL, "public-url", "", "portal address used in links and emails "+
		"(default https://<host name>:<portal port>)")
	fs.StringVar(&cfg.SMTPURL, "smtp", "", "SMTP server URL, smtp://user:pass@host:port or "+
		"smtps://...; or set PORTICO_SMTP_URL")
	fs.StringVar(&cfg.SMTPFrom, "smtp-from", "", "sender address of emails")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", "", "comma-separated reverse proxy "+
		"addresses or CIDR ranges whose X-Forwarded-For is believed")
	fs.StringVar(&cfg.AgencyName, "agency-name", "Portico", "agency name shown to clients")
	fs.Int64Var(&cfg.MaxUpload, "max-upload", 2<<30, "largest accepted upload in bytes")
	fs.BoolVar(&cfg.Demo, "demo", false, "seed a demo project and client into an empty data folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags come before arguments)", fs.Arg(0))
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return server.Run(ctx, cfg, logger, stdout)
}

func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "portico-data"
	}
	return dir + "/portico"
}

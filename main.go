// Command portico runs Portico: `portico` opens the desktop window (in the desktop build)
// and `portico serve` starts the client portal and the staff surface, both over one data
// folder.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"portico/internal/logging"
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
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]) {
		return desktop(args, stdout, stderr)
	}
	switch args[0] {
	case "desktop":
		return desktop(args[1:], stdout, stderr)
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "backup":
		return backupCommand(args[1:], stdout, stderr)
	case "restore":
		return restoreCommand(args[1:], stdout, stderr)
	case "verify":
		return folderCommand("verify", "data folder to check", args[1:], stdout, stderr)
	case "reindex":
		return folderCommand("reindex", "data folder to reindex", args[1:], stdout, stderr)
	case "version":
		fmt.Fprint(stdout, versionText())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

const usage = `usage:
  portico [--data DIR] [flags]         open the desktop window (desktop build, with a display)
  portico serve --data DIR [flags]     run the client portal and the staff surface
  portico backup --data DIR FILE       write a backup archive of the data folder to FILE
  portico restore --data DIR FILE      restore a backup archive into a new or empty folder
  portico verify --data DIR            check the database, the activity log and every file
  portico reindex --data DIR           rebuild the search index from the database
  portico version                      print the version`

func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "-help" }

// errNoWindow says what to do instead when no window can be opened.
func errNoWindow(why string) error {
	return fmt.Errorf("%s; run `portico serve --data DIR` to use Portico in a browser "+
		"(see `portico serve -h`)", why)
}

func serve(args []string, stdout, stderr io.Writer) error {
	var cfg server.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	portalFlags(fs, &cfg)
	fs.StringVar(&cfg.StaffAddr, "staff-addr", "127.0.0.1:8444", "staff listen address")
	fs.StringVar(&cfg.FoldersRoot, "folders-root", "", "folder that projects' linked folders "+
		"must lie in (default: folder linking off)")
	var logOpts logging.Options
	logFlags(fs, &logOpts)
	if err := parse(fs, args); err != nil {
		return err
	}
	logger, err := logging.New(stderr, logOpts)
	if err != nil {
		return err
	}
	cfg.Version = version
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return server.Run(ctx, cfg, logger, stdout)
}

// portalFlags defines the flags that serve and the desktop share: the data folder and
// everything about the client portal.
func portalFlags(fs *flag.FlagSet, cfg *server.Config) {
	fs.StringVar(&cfg.DataDir, "data", defaultDataDir(), "data folder")
	fs.StringVar(&cfg.PortalAddr, "portal-addr", "", "client portal listen address "+
		"(default :8443, or :443 with --domain)")
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
	tlsFlags(fs, cfg)
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags come before arguments)", fs.Arg(0))
	}
	return nil
}

func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "portico-data"
	}
	return dir + "/portico"
}

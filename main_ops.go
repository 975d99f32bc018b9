package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"portico/internal/backup"
	"portico/internal/control"
	"portico/internal/logging"
	"portico/internal/server"
)

// The operator commands: backup, restore, verify and version. Backup and verify run in
// the Portico that holds the data folder, through its control socket, or open the folder
// themselves when none runs.

func backupCommand(args []string, stdout, stderr io.Writer) error {
	fs, dataDir := opsFlagSet("backup", "data folder to back up", stderr)
	file, err := parseOne(fs, args, "backup", "FILE")
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := server.Command{Name: "backup", DataDir: *dataDir, Version: version, Stderr: stderr}
	if file == "-" {
		cmd.Stdout = stdout
		return cmd.Run(ctx)
	}

	out, err := backup.Create(file)
	if err != nil {
		return err
	}
	defer out.Abort()
	w := bufio.NewWriterSize(out, 256<<10)
	cmd.Stdout = w
	// An incomplete backup still holds everything else, so it is saved, and then the
	// command fails, so that scripts and schedulers notice.
	ran := cmd.Run(ctx)
	if ran != nil && !incompleteBackup(ran) {
		return ran
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if ran != nil {
		fmt.Fprintf(stderr, "backup saved to %s, without the files named above\n", file)
		return ran
	}
	fmt.Fprintf(stderr, "backup saved to %s\n", file)
	return nil
}

// incompleteBackup reports whether err says that the backup was written in full but for
// missing or corrupt file contents. From a running Portico the error arrives through its
// control socket as text.
func incompleteBackup(err error) bool {
	var incomplete *backup.IncompleteError
	var remote *control.RemoteError
	return errors.As(err, &incomplete) ||
		errors.As(err, &remote) && strings.HasPrefix(remote.Message, backup.IncompletePrefix)
}

func restoreCommand(args []string, _, stderr io.Writer) error {
	fs, dataDir := opsFlagSet("restore", "new or empty folder to restore into", stderr)
	file, err := parseOne(fs, args, "restore", "FILE")
	if err != nil {
		return err
	}
	in := io.Reader(os.Stdin)
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}

	m, err := backup.Restore(bufio.NewReaderSize(in, 256<<10), *dataDir)
	if err != nil {
		return err
	}
	for _, problem := range m.Problems {
		fmt.Fprintln(stderr, "warning: at backup time,", problem)
	}
	fmt.Fprintf(stderr, "restored %d files into %s from a backup made by Portico %s at %s; "+
		"the search index is rebuilt when Portico starts\n", len(m.Files), *dataDir, m.Version,
		m.Created.Format("2006-01-02 15:04:05 MST"))
	return nil
}

// folderCommand runs an operator command that takes no argument but the data folder
// (verify), passing its output through.
func folderCommand(name, dataHelp string, args []string, stdout, stderr io.Writer) error {
	fs, dataDir := opsFlagSet(name, dataHelp, stderr)
	if _, err := parseOne(fs, args, name, ""); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return server.Command{Name: name, DataDir: *dataDir, Version: version,
		Stdout: stdout, Stderr: stderr}.Run(ctx)
}

func opsFlagSet(name, dataHelp string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs, fs.String("data", defaultDataDir(), dataHelp)
}

// parseOne parses flags and the one argument named arg (none when arg is "").
func parseOne(fs *flag.FlagSet, args []string, command, arg string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	want := 1
	if arg == "" {
		want = 0
	}
	if fs.NArg() != want {
		return "", fmt.Errorf("usage: portico %s [--data DIR] %s (flags come before arguments)",
			command, arg)
	}
	return fs.Arg(0), nil
}

// versionText says which Portico this is: its version, the commit it was built from
// when the build recorded one, and the Go version and platform.
func versionText() string {
	commit, when, modified := "", "", false
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	text := "portico " + version + "\n"
	if commit != "" {
		text += "commit " + commit
		if when != "" {
			text += " (" + when + ")"
		}
		if modified {
			text += " with local changes"
		}
		text += "\n"
	}
	return text + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
}

// logFlags defines --log-format and --log-level, for serve and the desktop.
func logFlags(fs *flag.FlagSet, opts *logging.Options) {
	fs.StringVar(&opts.Format, "log-format", logging.FormatText, "log format: text or json")
	fs.StringVar(&opts.Level, "log-level", "info", "least severe log level shown: debug, "+
		"info, warn or error (debug adds one line per request)")
}

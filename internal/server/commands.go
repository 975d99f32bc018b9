package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"portico/internal/backup"
	"portico/internal/blob"
	"portico/internal/control"
	"portico/internal/search"
	"portico/internal/store"
	"portico/internal/verify"
)

// folder is an open data folder, what operator commands work on: the server's own while
// it runs, or one a command opens itself when no server holds it.
type folder struct {
	dir     string
	version string
	store   *store.Store
	blobs   *blob.Store
	index   *search.Index // the server's search index; nil when a command opened the folder
}

// command is an operator command. stdout carries its product (an archive, a report);
// stderr carries messages for the person running it.
type command func(ctx context.Context, f *folder, stdout, stderr io.Writer) error

// commands lists the operator commands by name. Each runs the same way in the server,
// through the control socket, and in a command's own process; a new one is an entry here
// and a subcommand in main.go.
var commands = map[string]command{
	"backup":  backupCommand,
	"verify":  verifyCommand,
	"reindex": reindexCommand,
}

// Command is one run of an operator command against a data folder.
type Command struct {
	// Name is a command's name: "backup" or "verify".
	Name    string
	DataDir string
	// Version is this program's version, written into backups made without a server.
	Version string
	Stdout  io.Writer
	Stderr  io.Writer
}

// startupWait bounds how long Run waits for a Portico that holds the data folder to open
// its control socket (it opens the folder first, then the socket).
const startupWait = 10 * time.Second

// Run runs the command in the Portico that holds the data folder, through its control
// socket, or, when none runs, in this process on the folder opened directly.
func (c Command) Run(ctx context.Context) error {
	cmd, ok := commands[c.Name]
	if !ok {
		return fmt.Errorf("unknown operator command %q", c.Name)
	}
	if _, err := os.Stat(filepath.Join(c.DataDir, dbName)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s holds no Portico data (no %s)", c.DataDir, dbName)
	}
	socket := filepath.Join(c.DataDir, control.SocketName)
	deadline := time.Now().Add(startupWait)
	for {
		err := control.Call(ctx, socket, c.Name, c.Stdout, c.Stderr)
		if !errors.Is(err, control.ErrNotRunning) {
			return err
		}
		err = c.runHere(ctx, cmd)
		var inUse *store.InUseError
		if !errors.As(err, &inUse) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w, which does not answer on its control socket %s (it may be "+
				"an older Portico); stop it, or run %s again once it is up", err, socket, c.Name)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (c Command) runHere(ctx context.Context, cmd command) error {
	f, err := openFolder(c.DataDir, c.Version)
	if err != nil {
		return err
	}
	defer f.store.Close()
	return cmd(ctx, f, c.Stdout, c.Stderr)
}

// dbName is the database file inside the data folder.
const dbName = "portico.db"

// openFolder opens an existing data folder's database and file store, without anything
// that serving needs.
func openFolder(dir, version string) (*folder, error) {
	st, err := store.Open(filepath.Join(dir, dbName), store.Options{})
	if err != nil {
		return nil, err
	}
	blobs, err := blob.Open(filepath.Join(dir, "files"))
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("open file store: %w", err)
	}
	return &folder{dir: dir, version: version, store: st, blobs: blobs}, nil
}

func backupCommand(ctx context.Context, f *folder, stdout, stderr io.Writer) error {
	m, err := backup.Write(ctx, backup.Source{Store: f.store, Blobs: f.blobs,
		CertsDir: filepath.Join(f.dir, "certs"), Version: f.version}, stdout)
	if err != nil {
		return err
	}
	for _, problem := range m.Problems {
		fmt.Fprintln(stderr, "warning:", problem)
	}
	fmt.Fprintf(stderr, "backed up %d files (%s) from %s, Portico %s\n",
		len(m.Files), byteCount(m.Size()), f.dir, m.Version)
	// The archive is whole even then: the caller keeps it, and fails.
	return m.Incomplete()
}

func verifyCommand(ctx context.Context, f *folder, stdout, stderr io.Writer) error {
	sum, err := verify.Folder(ctx, f.store, f.blobs, func(problem string) {
		fmt.Fprintln(stdout, problem)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, sum)
	switch sum.Problems {
	case 0:
		return nil
	case 1:
		return errors.New("1 problem found")
	}
	return fmt.Errorf("%d problems found", sum.Problems)
}

// byteCount writes n bytes the way people read sizes.
func byteCount(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

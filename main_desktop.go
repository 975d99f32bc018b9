//go:build desktop

package main

import (
	"flag"
	"io"

	"portico/app"
	"portico/internal/logging"
)

// desktop opens the window over the local data folder, with the client portal running in
// the background (`portico` with no arguments, or `portico desktop`).
func desktop(args []string, stdout, stderr io.Writer) error {
	opts := app.Options{Version: version, Out: stdout}
	fs := flag.NewFlagSet("portico", flag.ContinueOnError)
	fs.SetOutput(stderr)
	portalFlags(fs, &opts.Server)
	fs.StringVar(&opts.ReadyFile, "ready-file", "", "write the page's text to this file "+
		"once the window has rendered (for tests)")
	var logOpts logging.Options
	logFlags(fs, &logOpts)
	if err := parse(fs, args); err != nil {
		return err
	}
	logger, err := logging.New(stderr, logOpts)
	if err != nil {
		return err
	}
	opts.Server.Version = version
	opts.Server.FoldersAnywhere = true
	if !app.HasDisplay() {
		return errNoWindow("no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)")
	}
	opts.Logger = logger
	return app.Run(opts)
}

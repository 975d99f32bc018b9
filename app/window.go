//go:build desktop

package app

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"portico/frontend"
	"portico/internal/domain"
	"portico/internal/server"
)

//go:embed icon.png
var icon []byte

// shell is one desktop session: the window, the staff API as the local owner, and what
// the page calls.
type shell struct {
	srv      *server.Server
	staff    *ownerHandler
	bridge   *App
	log      *slog.Logger
	opts     Options
	portalLn net.Listener

	// wctx is the Wails context, set before ready closes; done closes when the window
	// has gone.
	wctx  context.Context
	ready chan struct{}
	done  chan struct{}
	// closing is set by the first request to close the window; see beforeClose.
	closing atomic.Bool

	dropMu    sync.Mutex
	stopDrops func()
}

func newShell(srv *server.Server, secret string, owner domain.Staff, opts Options) *shell {
	staff := newOwnerHandler(srv.StaffHandler(), secret)
	sh := &shell{srv: srv, staff: staff, log: opts.Logger, opts: opts,
		ready: make(chan struct{}), done: make(chan struct{})}
	sh.bridge = &App{staff: staff, info: Info{Version: opts.Version, DataDir: srv.DataDir(),
		PortalURL: srv.PortalURL, StaffID: string(owner.ID)}}
	me := domain.Actor{Kind: domain.ActorStaff, ID: owner.ID}
	sh.bridge.setPassword = func(next string) error {
		return srv.Service().SetOwnPassword(me, secret, next)
	}
	return sh
}

// runWindow shows the window and returns when it has closed.
func (sh *shell) runWindow() (err error) {
	defer close(sh.done)
	defer func() {
		// Wails panics when GTK cannot open the display; report it like any failure, so
		// the data folder is still closed cleanly.
		if r := recover(); r != nil {
			err = fmt.Errorf("open the window on display %q: %v", os.Getenv("DISPLAY"), r)
		}
	}()
	return wails.Run(&options.App{
		Title:            "Portico",
		Width:            1280,
		Height:           820,
		MinWidth:         900,
		MinHeight:        600,
		BackgroundColour: options.NewRGB(0xf5, 0xf6, 0xf8),
		AssetServer: &assetserver.Options{
			Assets:  frontend.Assets(),
			Handler: sh.staff,
		},
		Menu:       sh.menu(),
		Bind:       []any{sh.bridge},
		OnStartup:  sh.startup,
		OnDomReady: sh.domReady,
		// A stop signal reaches both Wails, which closes the window on its own, and the
		// shell; the window must close once.
		OnBeforeClose: sh.beforeClose,
		// Dropped files reach Go as paths; dropGuard keeps the page from opening them.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true},
		Linux: &linux.Options{
			Icon:        icon,
			ProgramName: "portico",
			// Wails' own default when Linux options are absent: software rendering,
			// which works on every driver and under Xvfb.
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
		Logger: wailsLogger{sh.log},
	})
}

// startup runs once the window exists: it connects the bound methods to the window.
func (sh *shell) startup(ctx context.Context) {
	sh.wctx = ctx
	b := sh.bridge
	b.emit = func(name string, data any) { runtime.EventsEmit(ctx, name, data) }
	b.pickFile = func(title string) (string, error) {
		return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title})
	}
	b.pickFolder = func(title string) (string, error) {
		return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title,
			CanCreateDirectories: true})
	}
	b.saveFile = func(title, name string) (string, error) {
		return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title,
			DefaultFilename: name, CanCreateDirectories: true})
	}
	b.watchDrops = sh.watchDrops
	sh.watchDrops()
	if sh.opts.ReadyFile != "" {
		runtime.EventsOn(ctx, readyEvent, sh.rendered)
	}
	close(sh.ready)
}

// fileDropEvent is how Wails reports files dropped on the window: x, y and the paths.
const fileDropEvent = "wails:file-drop"

// watchDrops (re)registers the listener for dropped files. The page may remove it: Wails'
// JavaScript OnFileDropOff unregisters every listener of the event, Go's included. So
// SetDropTarget calls this again, replacing the listener it made before.
func (sh *shell) watchDrops() {
	sh.dropMu.Lock()
	defer sh.dropMu.Unlock()
	if sh.stopDrops != nil {
		sh.stopDrops()
	}
	sh.stopDrops = runtime.EventsOn(sh.wctx, fileDropEvent, func(data ...any) {
		if len(data) == 3 {
			if paths, ok := data[2].([]string); ok {
				go sh.bridge.dropped(paths)
			}
		}
	})
}

// dropGuard cancels the page's default handling of files dragged over it, which would
// open the file in place of the workspace. Wails still receives the drop from GTK.
// WebKitGTK lists a file dragged from another program (a file manager) as text/uri-list,
// not as Files, so both count; the task list's own drags carry neither.
const dropGuard = `(function () {
  const guard = (e) => {
    const types = Array.from((e.dataTransfer && e.dataTransfer.types) || []);
    if (types.includes("Files") || types.includes("text/uri-list")) {
      e.preventDefault();
    }
  };
  window.addEventListener("dragover", guard);
  window.addEventListener("drop", guard);
})();`

// domReady runs on every page load.
func (sh *shell) domReady(ctx context.Context) {
	runtime.WindowExecJS(ctx, dropGuard)
	if sh.opts.ReadyFile != "" {
		runtime.WindowExecJS(ctx, readyProbe)
	}
}

// quit closes the window, waiting for it to exist first when asked too early.
func (sh *shell) quit() {
	select {
	case <-sh.ready:
		runtime.Quit(sh.wctx)
	case <-sh.done:
	}
}

// beforeClose lets the first request to close the window through and stops the others:
// every one of them ends in gtk_main_quit on its own goroutine, and a second one while
// the window is being destroyed crashes GTK.
func (sh *shell) beforeClose(context.Context) (prevent bool) {
	return !sh.closing.CompareAndSwap(false, true)
}

// wailsLogger sends Wails' own log lines to slog.
type wailsLogger struct{ log *slog.Logger }

func (l wailsLogger) Print(m string)   { l.log.Info(m, "source", "wails") }
func (l wailsLogger) Trace(m string)   { l.log.Debug(m, "source", "wails") }
func (l wailsLogger) Debug(m string)   { l.log.Debug(m, "source", "wails") }
func (l wailsLogger) Info(m string)    { l.log.Info(m, "source", "wails") }
func (l wailsLogger) Warning(m string) { l.log.Warn(m, "source", "wails") }
func (l wailsLogger) Error(m string)   { l.log.Error(m, "source", "wails") }
func (l wailsLogger) Fatal(m string)   { l.log.Error(m, "source", "wails") }

//go:build desktop

package app

import (
	"fmt"
	"os"
	"path/filepath"
)

// readyEvent is what readyProbe emits once the page has rendered.
const readyEvent = "portico:rendered"

// readyProbe waits until the page shows text that has stopped changing for a second (the
// UI has loaded its data and settled), or 30 seconds have passed, and sends the page's
// title and visible text to Go. It runs only when Options.ReadyFile is set.
const readyProbe = `(function () {
  let last = "", stable = 0, polls = 0;
  const timer = setInterval(() => {
    const text = document.body ? document.body.innerText.trim() : "";
    stable = text !== "" && text === last ? stable + 1 : 0;
    last = text;
    polls++;
    if (stable >= 4 || polls >= 120) {
      clearInterval(timer);
      window.runtime.EventsEmit("` + readyEvent + `", document.title, text);
    }
  }, 250);
})();`

// rendered writes the page's title and text to the ready file, atomically, so a reader
// never sees half of it.
func (sh *shell) rendered(data ...any) {
	var title, text string
	if len(data) == 2 {
		title, _ = data[0].(string)
		text, _ = data[1].(string)
	}
	path := sh.opts.ReadyFile
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	body := fmt.Sprintf("title: %s\n\n%s\n", title, text)
	if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
		sh.log.Error("write ready file", "path", path, "error", err)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		sh.log.Error("write ready file", "path", path, "error", err)
		return
	}
	sh.log.Info("window rendered", "path", path)
}

//go:build desktop

package app

import (
	"fmt"
	"os"
	"path/filepath"
)

// readyEvent is what readyProbe emits each time the page has settled.
const readyEvent = "portico:rendered"

// boxesHeader starts the list of boxes in the ready file, after the page's text.
const boxesHeader = "-- boxes: test ID, left, top, width, height (CSS pixels), text"

// readyProbe waits until the page shows text that has stopped changing for a second (the
// UI has loaded its data and settled), or 30 seconds have passed, and sends the page's
// title, visible text and boxes to Go. It goes on watching, and sends them again each time
// the page settles differently, so a test that clicks can read where things went. The
// boxes are one line per visible element with a data-testid: its test ID, left, top,
// width and height in CSS pixels of the page, and the start of its text, after a first
// line with the page's size. It runs only when Options.ReadyFile is set.
const readyProbe = `(function () {
  const boxes = () => {
    const lines = ["viewport " + innerWidth + " " + innerHeight];
    for (const el of document.querySelectorAll("[data-testid]")) {
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const text = (el.innerText || "").trim().split("\n")[0].slice(0, 60);
      const at = [r.left, r.top, r.width, r.height].map(Math.round).join(" ");
      lines.push(el.dataset.testid + " " + at + " " + text);
    }
    return lines.join("\n");
  };
  let last = "", sent = "", stable = 0, polls = 0;
  setInterval(() => {
    const text = document.body ? document.body.innerText.trim() : "";
    const layout = boxes();
    const page = text + "\n" + layout;
    stable = text !== "" && page === last ? stable + 1 : 0;
    last = page;
    polls++;
    if (page !== sent && (stable >= 4 || (sent === "" && polls >= 120))) {
      sent = page;
      window.runtime.EventsEmit("` + readyEvent + `", document.title, text, layout);
    }
  }, 250);
})();`

// rendered writes the page's title, text and boxes to the ready file, atomically, so a
// reader never sees half of it.
func (sh *shell) rendered(data ...any) {
	var title, text, boxes string
	if len(data) == 3 {
		title, _ = data[0].(string)
		text, _ = data[1].(string)
		boxes, _ = data[2].(string)
	}
	path := sh.opts.ReadyFile
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	body := fmt.Sprintf("title: %s\n\n%s\n\n%s\n%s\n", title, text, boxesHeader, boxes)
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

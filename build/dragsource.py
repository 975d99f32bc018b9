#!/usr/bin/python3
"""A small GTK 3 window that offers one file for drag and drop, as a file manager does.

The desktop drop test (build/desktop-drop.sh) starts it under Xvfb and drags from it with
real pointer events; GTK carries the drag over XDND to the window under the pointer.

usage: dragsource.py FILE X Y STATUS

The window is placed at X, Y on the screen. Once it is on screen, STATUS receives the line
"ready X Y WIDTH HEIGHT" (its place and size, written atomically). Lines appended later say
how the drag goes, so the test waits for facts rather than for fixed times:
  drag-begun                 the press and motion started a drag
  over-target ACTION         the window under the pointer takes XDND drops and answered
                             with ACTION (copy, or none while it refuses)
  over-nothing               no window that takes drops is under the pointer
  data-sent URI              the target asked for the file and got its URI
  drag-failed REASON         the drag ended without a drop (REASON from GTK)
  drag-ended                 the drag is over, dropped or not
It runs until stopped with SIGTERM.
"""

import os
import signal
import sys

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

# File managers offer dropped files as a URI list; WebKitGTK takes them from it.
URI_LIST = "text/uri-list"
URI_INFO = 1
# How often the drag's target and answer are looked at, in milliseconds.
WATCH_EVERY = 50


class Status:
    """Status is the file the test reads: one line per fact, appended at once."""

    def __init__(self, path):
        self.path = path
        self.last = None

    def note(self, line):
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def note_change(self, line):
        """note_change notes line unless it repeats the last line noted this way."""
        if line != self.last:
            self.last = line
            self.note(line)

    def announce(self, window):
        """announce replaces the file with the window's place, once it is on screen."""
        x, y = window.get_window().get_origin()[1:]
        alloc = window.get_allocation()
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(f"ready {x} {y} {alloc.width} {alloc.height}\n")
        os.replace(tmp, self.path)
        return False


def action_name(action):
    """action_name is a drag action as one word: copy, move, none and so on."""
    return "+".join(action.value_nicks) or "none"


def make_source(widget, uri, status):
    """make_source makes widget a drag source for uri that reports to status."""
    targets = [Gtk.TargetEntry.new(URI_LIST, 0, URI_INFO)]
    widget.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, targets, Gdk.DragAction.COPY)
    dragging = {"on": False}

    def watch(context):
        if not dragging["on"]:
            return False
        if context.get_dest_window() is None:
            status.note_change("over-nothing")
        else:
            status.note_change("over-target " + action_name(context.get_selected_action()))
        return True

    def begin(_widget, context):
        dragging["on"] = True
        status.note("drag-begun")
        GLib.timeout_add(WATCH_EVERY, watch, context)

    def data_get(_widget, _context, data, _info, _time):
        data.set_uris([uri])
        status.note("data-sent " + uri)

    def failed(_widget, _context, result):
        status.note("drag-failed " + result.value_nick)
        return False

    def end(_widget, _context):
        dragging["on"] = False
        status.note("drag-ended")

    widget.connect("drag-begin", begin)
    widget.connect("drag-data-get", data_get)
    widget.connect("drag-failed", failed)
    widget.connect("drag-end", end)


def build(path, x, y, status):
    """build makes the window: one labelled box that is a drag source for the file."""
    uri = GLib.filename_to_uri(os.path.abspath(path), None)

    window = Gtk.Window(title="Drag source")
    window.set_decorated(False)
    window.set_default_size(240, 120)
    window.move(x, y)

    box = Gtk.EventBox()
    box.add(Gtk.Label(label="Drag me: " + os.path.basename(path)))
    window.add(box)
    make_source(box, uri, status)

    # Announce a little after the map, once the X server has placed the window.
    def mapped(_widget, _event):
        GLib.timeout_add(200, status.announce, window)
        return False

    window.connect("map-event", mapped)
    window.connect("destroy", Gtk.main_quit)
    return window


def main(argv):
    if len(argv) != 5:
        sys.stderr.write("usage: dragsource.py FILE X Y STATUS\n")
        return 2
    path, x, y, status = argv[1], int(argv[2]), int(argv[3]), Status(argv[4])
    if not os.path.isfile(path):
        sys.stderr.write(f"dragsource: {path} is not a file\n")
        return 2

    window = build(path, x, y, status)
    window.show_all()
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signum, Gtk.main_quit)
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env bash
# Desktop drop test. Under Xvfb, drags files from another program onto the desktop window
# as a person would, and checks that they are attached to the open task:
#   1. the window opens on a fresh demo data folder; real clicks (xdotool, through XTEST)
#      open the demo project and then its first task, whose drawer shows its Files;
#   2. build/dragsource.py, a small GTK program, offers a new file as text/uri-list, as a
#      file manager does; the pointer presses on it, moves in steps onto the drawer's Files
#      zone, waits there until the window accepts a copy, and releases: the file goes over
#      XDND, and the task's file list shows it;
#   3. a second file is dropped beside the drawer, on the project's title: the window takes
#      drops anywhere for the open task, and must not open the file in place of the page;
#   4. after a clean close, the data folder holds both files' bytes under their SHA-256,
#      and `portico verify` finds two file records and no problem.
# Where to click comes from the page itself: the app's --ready-file holds the page's text
# and the boxes of its data-testid elements, rewritten each time the page settles.
# Screenshots: $ARTIFACTS/desktop-drag.png (during the first drag) and desktop-drop.png
# (after both drops), or desktop-drop-fail.png. Every process started here is stopped by
# its PID.
#
# usage: build/desktop-drop.sh [path/to/portico-desktop]
set -euo pipefail

bin=${1:-bin/portico-desktop}
artifacts=${ARTIFACTS:-test-artifacts}
here=$(cd "$(dirname "$0")" && pwd)
# Debian's python3-gi serves only Debian's own interpreter, not one earlier on PATH.
python=/usr/bin/python3
deadline=30
render_deadline=60

work=$(mktemp -d)
xvfb_pid=""
app_pid=""
source_pid=""
ready="$work/ready.txt"
status="$work/source.txt"

log() { echo "desktop-drop: $*"; }

fail() {
  local shot=""
  if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then
    shot="$artifacts/desktop-drop-fail.png"
    import -window root "$shot" 2>/dev/null || shot=""
  fi
  echo "desktop-drop: FAIL: $*${shot:+ (screenshot: $shot)}" >&2
  for f in "$work"/*.err "$status" "$ready"; do
    [ -s "$f" ] && { echo "--- $(basename "$f")" >&2; tail -n 40 "$f" >&2; }
  done
  exit 1
}

data="$work/data"
# shellcheck source=build/desktop-lib.sh
. "$here/desktop-lib.sh"

cleanup() {
  stop_pid "$source_pid"
  stop_pid "$app_pid"
  stop_pid "$xvfb_pid"
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$bin" ] || fail "$bin is missing; run make desktop"
for tool in Xvfb import xdotool sha256sum; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run build/install-deps.sh"
done
"$python" -c 'import gi; gi.require_version("Gtk", "3.0")' 2>/dev/null ||
  fail "$python cannot load GTK 3 (python3-gi, gir1.2-gtk-3.0); run build/install-deps.sh"
mkdir -p "$artifacts"

# new_file NAME writes a file to drop, with content of its own, and prints its path.
new_file() {
  local path="$work/drag/$1"
  mkdir -p "$work/drag"
  printf 'Notes dropped on the task: %s\n' "$(head -c 12 /dev/urandom | od -An -tx1)" >"$path"
  echo "$path"
}
# Names with a space, as people name files.
first_file=$(new_file "dropped notes.txt")
second_file=$(new_file "second drop.txt")

# The screen leaves room for the drag source beside the 1280-pixel window.
start_xvfb 1920x1080x24

"$bin" --data "$data" --portal-addr 127.0.0.1:0 --ready-file "$ready" --demo \
  >"$work/app.out" 2>"$work/app.err" &
app_pid=$!

# box ID [TEXT] prints "left top width height" of the first element with that test ID
# (and whose text starts with TEXT) whose middle lies inside the page's viewport.
box() {
  [ -s "$ready" ] || return 1
  awk -v id="$1" -v text="${2:-}" '
    /^-- boxes:/ { inside = 1; next }
    inside && $1 == "viewport" { vw = $2; vh = $3; next }
    inside && $1 == id {
      x = $2 + $4 / 2; y = $3 + $5 / 2
      rest = $0; for (i = 1; i <= 5; i++) sub(/^[^ ]* ?/, "", rest)
      if (x > 0 && y > 0 && x < vw && y < vh && (text == "" || index(rest, text) == 1)) {
        print $2, $3, $4, $5; found = 1; exit
      }
    }
    END { exit !found }' "$ready"
}

# wait_box ID [TEXT] waits until box finds the element, and puts its box in found.
found=""
wait_box() {
  for _ in $(seq 1 $((deadline * 4))); do
    found=$(box "$@") && return 0
    kill -0 "$app_pid" 2>/dev/null || fail "the app exited"
    sleep 0.25
  done
  fail "the page showed no \"$1\" element${2:+ with text \"$2\"} within $deadline s"
}

# wait_status LINE waits until the drag source has noted a line starting with LINE.
wait_status() {
  for _ in $(seq 1 $((deadline * 10))); do
    grep -q "^$1" "$status" 2>/dev/null && return 0
    kill -0 "$source_pid" 2>/dev/null || fail "the drag source exited"
    sleep 0.1
  done
  return 1
}

# 1. The window renders; its place on the screen maps page points to screen points.
wait_ready "$ready" "$render_deadline"

window=$(xdotool search --onlyvisible --name '^Portico$' | head -n 1)
[ -n "$window" ] || fail "no window titled Portico is mapped"
eval "$(xdotool getwindowgeometry --shell "$window")"
win_x=$X win_y=$Y win_w=$WIDTH win_h=$HEIGHT
viewport=$(awk '$1 == "viewport" { print $2, $3; exit }' "$ready")
[ -n "$viewport" ] || fail "the ready file lists no page boxes"
read -r view_w view_h <<<"$viewport"
[ "$view_w" -eq "$win_w" ] ||
  fail "the page is $view_w pixels wide in a $win_w-pixel window: cannot aim at it"
# The menu bar sits above the page, which fills the rest of the window.
page_y=$((win_y + win_h - view_h))
log "window at $win_x,$win_y (${win_w}x$win_h), page from y $page_y"

# aim ID [TEXT] waits for an element of the page and puts its middle on the screen in
# aim_x and aim_y.
aim() {
  local left top w h
  wait_box "$@"
  read -r left top w h <<<"$found"
  aim_x=$((win_x + left + w / 2))
  aim_y=$((page_y + top + h / 2))
}

aim project-link
xdotool mousemove --sync "$aim_x" "$aim_y" click 1
wait_box task-open
task=$(awk '/^-- boxes:/ { inside = 1 } inside && $1 == "task-open" {
  $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print; exit }' "$ready")
log "project open; opening task \"$task\""
aim task-open "$task"
xdotool mousemove --sync "$aim_x" "$aim_y" click 1
wait_box task-drawer "Task: $task"
wait_box task-files
if box file-row >/dev/null; then
  fail "the task lists files before any drop"
fi

# drag FILE X Y SHOT shows FILE in a drag source beside the window and drags it to X, Y
# with the pointer, saving a screenshot to SHOT (if not "") while the window accepts it.
drag() {
  local file=$1 to_x=$2 to_y=$3 shot=$4 from_x from_y src_w src_h accepted="" i
  stop_pid "$source_pid"
  rm -f "$status"
  "$python" "$here/dragsource.py" "$file" $((win_x + win_w + 40)) "$win_y" "$status" \
    >"$work/source.out" 2>"$work/source.err" &
  source_pid=$!
  wait_status ready || fail "the drag source did not show its window within $deadline s"
  read -r _ from_x from_y src_w src_h <"$status"
  from_x=$((from_x + src_w / 2))
  from_y=$((from_y + src_h / 2))

  xdotool mousemove --sync "$from_x" "$from_y"
  xdotool mousedown 1
  # A few short moves pass GTK's drag threshold on the source itself.
  for i in 1 2 3 4 5 6; do
    xdotool mousemove --sync $((from_x + 4 * i)) "$from_y"
    sleep 0.05
  done
  wait_status drag-begun || fail "pressing and moving on the drag source started no drag"
  for i in $(seq 1 40); do
    xdotool mousemove $((from_x + (to_x - from_x) * i / 40)) $((from_y + (to_y - from_y) * i / 40))
    sleep 0.03
  done
  # XDND answers motion, so stay on the target, nudging, until the window accepts a copy.
  for i in $(seq 1 $((deadline * 4))); do
    xdotool mousemove "$to_x" $((to_y + i % 2))
    sleep 0.25
    if grep -qx "over-target copy" "$status"; then
      accepted=yes
      break
    fi
  done
  [ -z "$shot" ] || import -window root "$shot"
  [ -n "$accepted" ] ||
    fail "the window did not accept the dragged file within $deadline s" \
      "(last: $(tail -n 1 "$status"))"
  xdotool mouseup 1
  wait_status drag-ended || fail "the drag did not end within $deadline s of the release"
  if grep -q "^drag-failed" "$status"; then
    fail "the drop failed: $(grep "^drag-failed" "$status")"
  fi
  grep -q "^data-sent " "$status" || fail "the window never asked the drag source for the file"
}

# wait_listed NAME waits until the open task's file list shows NAME.
wait_listed() {
  for _ in $(seq 1 $((deadline * 4))); do
    box file-row "$1" >/dev/null && break
    if grep -qF "Open a task to attach files" "$ready"; then
      fail "the app ignored the drop of $1: it saw no open task"
    fi
    sleep 0.25
  done
  box file-row "$1" >/dev/null || fail "the task's files did not list $1 within $deadline s" \
    "of the drop (if the screenshot shows the file's text, the window opened the file in" \
    "place of the workspace: the page did not cancel the drop)"
  box task-drawer "Task: $task" >/dev/null || fail "the drawer of \"$task\" closed"
}

# 2. The first file onto the drawer's Files zone.
aim task-files
log "dragging $(basename "$first_file") onto the Files zone at $aim_x,$aim_y"
drag "$first_file" "$aim_x" "$aim_y" "$artifacts/desktop-drag.png"
wait_listed "$(basename "$first_file")"
log "the drawer of \"$task\" lists $(basename "$first_file")" \
  "(screenshot during the drag: $artifacts/desktop-drag.png)"

# 3. The second file beside the drawer, on the project's title.
aim project-title
log "dragging $(basename "$second_file") onto the project's title at $aim_x,$aim_y"
drag "$second_file" "$aim_x" "$aim_y" ""
wait_listed "$(basename "$second_file")"
import -window root "$artifacts/desktop-drop.png"
log "the drawer of \"$task\" lists $(basename "$second_file") too" \
  "(screenshot: $artifacts/desktop-drop.png)"

# 4. A clean close, then the data folder holds the bytes and is consistent.
stop_pid "$source_pid"
source_pid=""
kill -TERM "$app_pid"
wait_exit SIGTERM "$deadline"

for file in "$first_file" "$second_file"; do
  sha=$(sha256sum "$file" | cut -d' ' -f1)
  blob="$data/files/${sha:0:2}/$sha"
  [ -f "$blob" ] || fail "the data folder has no content named by the SHA-256 of" \
    "$(basename "$file") ($blob)"
  cmp -s "$blob" "$file" || fail "the stored content of $(basename "$file") differs"
done
"$bin" verify --data "$data" >"$work/verify.out" 2>"$work/verify.err" ||
  fail "portico verify found problems: $(cat "$work/verify.out" "$work/verify.err")"
grep -q " 2 file records" "$work/verify.err" ||
  fail "portico verify did not count two file records: $(cat "$work/verify.err")"
log "data folder: both contents stored under their SHA-256; $(cat "$work/verify.err")"

log "PASS"

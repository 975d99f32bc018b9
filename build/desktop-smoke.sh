#!/usr/bin/env bash
# Desktop smoke test. Starts the desktop binary under Xvfb on a fresh demo data folder and
# checks, as a person would, that:
#   1. the window opens and the workspace renders with the demo project and a live event
#      stream (the page's text comes from --ready-file; the screenshot must not be blank);
#   2. a second launch on the same data folder is refused, before any window opens (the
#      time it takes is logged; the figure is in docs/benchmarks.md, not a test limit);
#   3. SIGTERM closes the window cleanly: exit status 0 within 10 seconds, database closed;
#   4. the folder opens again afterwards, and SIGINT closes the window just as cleanly.
# The screenshot is saved as $ARTIFACTS/desktop.png (default test-artifacts/). Every process
# started here is stopped by its PID.
#
# usage: build/desktop-smoke.sh [path/to/portico-desktop]
set -euo pipefail

bin=${1:-bin/portico-desktop}
artifacts=${ARTIFACTS:-test-artifacts}
here=$(cd "$(dirname "$0")" && pwd)
demo_project="Website relaunch"
render_deadline=60

work=$(mktemp -d)
xvfb_pid=""
app_pid=""

log() { echo "desktop-smoke: $*"; }

fail() {
  echo "desktop-smoke: FAIL: $*" >&2
  for f in "$work"/*.err "$work"/ready.txt; do
    [ -s "$f" ] && { echo "--- $(basename "$f")" >&2; tail -n 40 "$f" >&2; }
  done
  exit 1
}

data="$work/data"
# shellcheck source=build/desktop-lib.sh
. "$here/desktop-lib.sh"

cleanup() {
  stop_pid "$app_pid"
  stop_pid "$xvfb_pid"
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$bin" ] || fail "$bin is missing; run make desktop"
for tool in Xvfb import identify; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run build/install-deps.sh"
done
mkdir -p "$artifacts"

start_xvfb 1440x900x24

# launch NAME [flags...] starts the app in the background; its PID goes to app_pid.
launch() {
  local name=$1
  shift
  rm -f "$work/ready.txt"
  "$bin" --data "$data" --portal-addr 127.0.0.1:0 --ready-file "$work/ready.txt" "$@" \
    >"$work/$name.out" 2>"$work/$name.err" &
  app_pid=$!
}

# wait_rendered waits for the page to report its text, and checks the demo project shows.
wait_rendered() {
  local started
  started=$(now)
  wait_ready "$work/ready.txt" "$render_deadline"
  log "rendered in $(since "$started") s"
  grep -qF "$demo_project" "$work/ready.txt" ||
    fail "the workspace does not show the demo project \"$demo_project\""
  grep -qx "Live" "$work/ready.txt" ||
    fail "the workspace's live event stream is not connected (no \"Live\" status)"
}

# 1. First launch: demo data, window, screenshot.
started=$(now)
launch first --demo
wait_rendered
import -window root "$artifacts/desktop.png"
import -window Portico "$work/window.png" 2>"$work/import.err" ||
  fail "no window titled Portico is mapped"
colours=$(identify -format %k "$artifacts/desktop.png")
[ "$colours" -ge 100 ] || fail "the screenshot has only $colours colours: blank window?"
log "screenshot $artifacts/desktop.png: $colours colours" \
  "(first launch to screenshot $(since "$started") s)"

# 2. A second launch on the same folder is refused before any window; timeout bounds it.
started=$(now)
status=0
timeout 10 "$bin" --data "$data" --portal-addr 127.0.0.1:0 \
  >"$work/second.out" 2>"$work/second.err" || status=$?
took=$(since "$started")
[ "$status" -ne 0 ] || fail "a second launch on the same folder succeeded"
grep -q "in use" "$work/second.err" || fail "the second launch did not say the folder is in use"
log "second launch refused in $took s: $(head -n 1 "$work/second.err")"

# 3. SIGTERM closes the window the way File > Quit does.
kill -TERM "$app_pid"
wait_exit SIGTERM 10

# 4. The folder opens again, and Ctrl-C in the terminal (SIGINT) closes it the same way.
launch reopen
wait_rendered
kill -INT "$app_pid"
wait_exit SIGINT 10

log "PASS"

# Shared by the desktop tests (desktop-smoke.sh, desktop-drop.sh), which source it after
# defining log and fail, and set work (their scratch folder), data (the app's data folder)
# and app_pid and xvfb_pid (the processes they started, "" for none).

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# stop_pid PID stops a process the test started, if it still runs: SIGTERM, and SIGKILL
# when it is still there 5 seconds later.
stop_pid() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

# start_xvfb SCREEN starts Xvfb with one screen of SCREEN (width x height x depth) and
# exports its DISPLAY; its PID goes to xvfb_pid.
start_xvfb() {
  # Xvfb picks a free display number itself and writes it to fd 9.
  Xvfb -displayfd 9 -screen 0 "$1" -nolisten tcp 9>"$work/display" 2>"$work/xvfb.err" &
  xvfb_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$work/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb exited"
    sleep 0.1
  done
  [ -s "$work/display" ] || fail "Xvfb did not report a display within 10 s"
  export DISPLAY=":$(cat "$work/display")"
  unset WAYLAND_DISPLAY
  log "Xvfb on $DISPLAY (pid $xvfb_pid)"
}

# wait_ready FILE SECONDS waits until the app has written its ready file FILE (the page's
# text, once it has rendered), and checks that the page is the staff UI.
wait_ready() {
  local file=$1 seconds=$2
  for _ in $(seq 1 $((seconds * 4))); do
    [ -s "$file" ] && break
    kill -0 "$app_pid" 2>/dev/null || fail "the app exited before the window rendered"
    sleep 0.25
  done
  [ -s "$file" ] || fail "the window did not render within $seconds s"
  if grep -q "staff workspace is not built" "$file"; then
    fail "the binary embeds the placeholder page, not the staff UI (run make frontend first)"
  fi
}

# wait_exit HOW SECONDS waits for the app to exit after HOW (a signal) and checks that it
# closed cleanly: exit status 0, and its data folder released.
wait_exit() {
  local how=$1 seconds=$2 started code
  started=$(now)
  for _ in $(seq 1 $((seconds * 10))); do
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$app_pid" 2>/dev/null && fail "the app was still running $seconds s after $how"
  code=0
  wait "$app_pid" || code=$?
  app_pid=""
  [ "$code" -eq 0 ] || fail "the app exited with status $code after $how"
  [ ! -e "$data/portico.pid" ] || fail "the database was not closed after $how"
  log "closed by $how in $(since "$started") s, exit status 0"
}

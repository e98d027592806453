# Shared helpers for the setup/run scripts. Sourced, never executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
# Caches that outlive a clone, so a fresh checkout on a warm machine sets up in seconds.
CACHE_DIR="${TODO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-platform}"
mkdir -p "$RUN_DIR" "$CACHE_DIR"
# The pub/sub broker profile (components/<broker>/): kafka (default), redis, rabbitmq or mqtt.
BROKER="${BROKER:-kafka}"
case "$BROKER" in kafka | redis | rabbitmq | mqtt) ;; *)
  printf '\033[31merror:\033[0m BROKER=%s: use kafka, redis, rabbitmq or mqtt\n' "$BROKER" >&2; exit 1 ;;
esac

step() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die()  { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

need() { # need <command> <what to do when missing>
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found. $2"
}

# Runs a long command with its output in a log file, printing a heartbeat so the user sees progress.
with_heartbeat() { # with_heartbeat <label> <logfile> <cmd...>
  local label=$1 log=$2; shift 2
  local start=$SECONDS
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    kill -0 "$pid" 2>/dev/null && info "$label… $((SECONDS - start))s ($(tail -c 200 "$log" | tr '\n' ' ' | tail -c 80))"
  done
  if ! wait "$pid"; then
    tail -n 40 "$log" >&2
    die "$label failed (full log: $log)"
  fi
  info "$label done in $((SECONDS - start))s"
}

wait_port() { # wait_port <port> <seconds> <label>
  local port=$1 limit=$2 label=$3 i
  for ((i = 0; i < limit * 5; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  die "$label did not open port $port within ${limit}s"
}

# Project processes: one pid file each under $RUN_DIR/pids, so `stop` leaves nothing behind.
PIDS="$RUN_DIR/pids"
mkdir -p "$PIDS"

alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

spawn() { # spawn <name> <log> <cmd...>: detached (own session), so Ctrl-C in a terminal reaches only us
  local name=$1 log=$2; shift 2
  # Appended, not truncated: after a broker restart (fault tests) the previous run's log is the evidence.
  echo "=== $(date -u +%FT%TZ) start $name" >>"$log"
  setsid "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

stop_one() { # stop_one <name>: TERM, then KILL after 15 s
  local name=$1 pid i
  [ -f "$PIDS/$name.pid" ] || return 0
  pid=$(cat "$PIDS/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 75; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { info "$name did not stop in 15s; killing"; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
    info "stopped $name (pid $pid)"
  fi
  rm -f "$PIDS/$name.pid"
}


# Shared helpers for the setup/run scripts. Sourced, never executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
# Caches that outlive a clone, so a fresh checkout on a warm machine sets up in seconds.
CACHE_DIR="${TODO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-platform}"
mkdir -p "$RUN_DIR" "$CACHE_DIR"

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

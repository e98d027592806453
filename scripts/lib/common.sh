# shellcheck shell=bash
# Shared helpers for the setup/run scripts. Sourced, never executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
# Caches that outlive a clone, so a fresh checkout on a warm machine sets up in seconds.
CACHE_DIR="${TODO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-platform}"
mkdir -p "$RUN_DIR" "$CACHE_DIR"
# The project's Node.js (scripts/setup-node.sh): the machine's when it is this major, else a
# project-local install from the npm registry, put first on PATH for everything the scripts run.
NODE_VERSION=26.12.1
NODE_HOME="$CACHE_DIR/node-$NODE_VERSION"
use_project_node() {
  [ -x "$NODE_HOME/bin/node" ] || return 0
  case ":$PATH:" in *":$NODE_HOME/bin:"*) ;; *) export PATH="$NODE_HOME/bin:$PATH" ;; esac
}
use_project_node
# scripts/setup.sh, then the project's Node first on PATH: on a fresh machine setup installs Node, so
# a script that sourced this file before setup would otherwise go on with the machine's older Node.
setup_platform() {
  bash "$ROOT/scripts/setup.sh"
  use_project_node
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" = "${NODE_VERSION%%.*}" ] || die "node on PATH is v$major after setup, not $NODE_VERSION ($(command -v node))"
}
# Zipkin (traces): the server jar from Maven Central (scripts/setup-zipkin.sh), started by infra.sh.
ZIPKIN_VERSION=3.5.1
export ZIPKIN_JAR="$CACHE_DIR/zipkin-$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"
# The fuzzer's virtualenv (scripts/setup-fuzz.sh): <base>-<hash of tools/fuzz/requirements*>.
export FUZZ_VENV_BASE="$CACHE_DIR/fuzz-venv"
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

stop_one() { # stop_one <name>: TERM, then KILL after 15 s; returns 1 when the process survives that too
  stop_pidfile "$PIDS/$1.pid" "$1"
}

stop_pidfile() { # stop_pidfile <file> <label>: stops the process the file names (TERM, 15 s, KILL)
  local file=$1 name=$2 pid i
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 75; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      info "$name did not stop in 15s; killing"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 25; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    if kill -0 "$pid" 2>/dev/null; then
      printf '\033[31merror:\033[0m %s (pid %s) is still running after KILL\n' "$name" "$pid" >&2
      return 1
    fi
    info "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

# Installs Debian packages as root without starting their services: policy-rc.d answers 101 ("action
# forbidden") to the maintainer scripts, so no system-wide Redis/RabbitMQ/Mosquitto comes up on its
# default port. The policy file is ours only if it was not there before, and it is removed on every
# way out of this function — a failed install must not leave it behind for the rest of the machine.
apt_install() { # apt_install <log name> <package...>
  local log="$CACHE_DIR/apt-$1.log"; shift
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null ||
    die "$* not installed. Install it as root (Debian: sudo apt-get install $*)."
  info "installing $* with apt-get"
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -qq
  local own_policy=0 rc=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1 || rc=$?
  [ "$own_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { tail -20 "$log" >&2; die "apt-get install $* failed (log: $log)"; }
}


#!/usr/bin/env bash
# `make stop`: ends a `make run` started elsewhere — apps, sidecars, then infrastructure.
source "$(dirname "$0")/lib/common.sh"
step "Stopping apps and sidecars"
pidfile="$RUN_DIR/pids/launcher.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  info "launcher (pid $pid) stopped"
fi
command -v dapr >/dev/null 2>&1 && [ -f "$ROOT/dapr.yaml" ] && (cd "$ROOT" && dapr stop -f dapr.yaml >/dev/null 2>&1 || true)
bash "$ROOT/scripts/infra.sh" stop

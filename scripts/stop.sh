#!/usr/bin/env bash
# `make stop`: ends a `make run` started elsewhere — apps, sidecars, then infrastructure — and exits
# non-zero if anything survives. Every process has its own pid file under $RUN_DIR/pids (the launcher
# writes one per app and per daprd), so this works even when the launcher itself was killed with -9.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
survivors=0
step "Stopping apps and sidecars"
# The launcher stops its children in order (app, then daprd) when asked nicely.
stop_one launcher || survivors=$((survivors + 1))
shopt -s nullglob
for f in "$PIDS"/*.app.pid "$PIDS"/*.daprd.pid; do
  stop_pidfile "$f" "$(basename "$f" .pid)" || survivors=$((survivors + 1))
done
command -v dapr >/dev/null 2>&1 && [ -f "$ROOT/dapr.yaml" ] && (cd "$ROOT" && dapr stop -f dapr.yaml >/dev/null 2>&1 || true)
bash "$ROOT/scripts/infra.sh" stop || survivors=$((survivors + 1))
[ "$survivors" = 0 ] || die "$survivors process(es) could not be stopped (see above)"

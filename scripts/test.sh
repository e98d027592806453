#!/usr/bin/env bash
# `make test`: setup, then unit tests (vitest, and pytest for the Python service), then integration tests
# against real sidecars, Kafka and Redis, then the web console in a real browser (Debian's Chromium, on a
# platform of its own). Writes JSON results to .run/test-results/ so CI can count them (pytest's in
# vitest's shape: scripts/test-python.sh); the browser tests' screenshots go to .run/test-results/browser.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$ROOT" || exit
setup_platform
mkdir -p "$RUN_DIR/test-results"
status=0
step "Unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$RUN_DIR/test-results/unit.json" || status=1
bash scripts/test-python.sh || status=1
step "Integration tests (real daprd, Kafka, Redis)"
if ! npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$RUN_DIR/test-results/integration.json"; then
  status=1
  logs="$RUN_DIR/test/logs"
  if [ -d "$logs" ]; then
    info "integration tests failed; sidecar and app logs kept in $logs. Last lines:"
    for f in "$logs"/*.log; do printf '\n--- %s\n' "$f" >&2; tail -n 15 "$f" | cut -c1-400 >&2; done
  fi
fi
step "Browser tests (web console in headless Chromium, real platform)"
bash scripts/setup-browser.sh
if ! npx vitest run --project browser --reporter=default --reporter=json --outputFile.json="$RUN_DIR/test-results/browser.json"; then
  status=1
  logs="$RUN_DIR/browser/logs"
  if [ -d "$logs" ]; then
    info "browser tests failed; screenshots in $RUN_DIR/test-results/browser, logs in $logs. Last lines of the gateway's:"
    tail -n 20 "$logs"/gateway*.log 2>/dev/null | cut -c1-400 >&2 || true
  fi
fi
info "screenshots of each page: $RUN_DIR/test-results/browser/*.png"
exit $status

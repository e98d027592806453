#!/usr/bin/env bash
# Provides fortio-load, the HTTP load generator of `make bench`: fortio 1.75.3's load engine from Go
# modules (tools/fortio: a wrapper module pinning fortio.org/fortio v1.75.3, see its main.go for why not
# the fortio binary itself), cached per machine like daprd (setup-dapr.sh):
#   1. built before on this machine by this recipe → nothing to do (< 1 s);
#   2. otherwise go build into ~/.cache/todo-platform/fortio-1.75.3-<recipe hash>/ (~30 s-2 min on 2 cores).
# Prints the binary's path on stdout (progress goes to stderr).
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

FORTIO_VERSION=1.75.3
# Keyed by the wrapper's content, so a change to tools/fortio rebuilds instead of reusing.
RECIPE=$(cat "$ROOT"/tools/fortio/go.mod "$ROOT"/tools/fortio/go.sum "$ROOT"/tools/fortio/main.go | sha256sum | cut -c1-12)
CACHE_BIN="$CACHE_DIR/fortio-$FORTIO_VERSION-$RECIPE"

step "fortio $FORTIO_VERSION load engine (bench load generator, from Go modules)"
if [ -x "$CACHE_BIN/fortio-load" ]; then
  info "fortio-load cached: $CACHE_BIN/fortio-load"
else
  need go "Install Go ≥ 1.25 (https://go.dev/dl) — the bench's load generator is built from Go modules."
  mkdir -p "$CACHE_BIN"
  (cd "$ROOT/tools/fortio" && with_heartbeat "go build fortio-load" "$CACHE_DIR/fortio-build.log" \
    env CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "$CACHE_BIN/fortio-load.tmp" .)
  mv "$CACHE_BIN/fortio-load.tmp" "$CACHE_BIN/fortio-load"
  info "fortio-load: $CACHE_BIN/fortio-load"
fi
echo "$CACHE_BIN/fortio-load"

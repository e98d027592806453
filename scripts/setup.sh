#!/usr/bin/env bash
# Everything `make run` and `make test` need, idempotent: a second run on the same machine takes seconds.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
start=$SECONDS

step "Prerequisites"
need npm "Install Node.js and npm (any version; setup installs the project's Node $NODE_VERSION itself)."
bash "$ROOT/scripts/setup-node.sh"
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh" # puts the project's node first on PATH, now that it exists
info "node $(node --version), npm $(npm --version 2>/dev/null)"

# npm ci installs exactly the committed lock file and never rewrites it (npm install did: a fresh clone
# came out with +345 lines in package-lock.json). The marker is keyed by the committed lock, so the next
# run installs again only when the lock changes.
step "npm packages"
lock_hash=$(sha256sum "$ROOT/package-lock.json" | cut -c1-16)
if [ -f "$ROOT/node_modules/.installed-$lock_hash" ]; then
  info "node_modules up to date"
else
  (cd "$ROOT" && with_heartbeat "npm ci" "$RUN_DIR/npm-install.log" npm ci --no-audit --no-fund)
  touch "$ROOT/node_modules/.installed-$lock_hash"
fi

# The services as they ship: one bundled JavaScript file each (tools/build/build.mjs). Rebuilt when a
# source file, the lock file or the build script changed.
step "Build (services/*/dist)"
src_hash=$(cd "$ROOT" && find packages/*/src services/*/src services/gateway/web/src tools/build -type f -print0 | sort -z |
  xargs -0 sha256sum | cat - package-lock.json | sha256sum | cut -c1-16)
if [ -f "$RUN_DIR/.built-$src_hash" ] && [ -f "$ROOT/services/gateway/dist/main.js" ]; then
  info "services/*/dist up to date"
else
  (cd "$ROOT" && npm run --silent build) || die "build failed"
  rm -f "$RUN_DIR"/.built-* && touch "$RUN_DIR/.built-$src_hash"
fi

# insights-service's Python venv (hash-locked packages from PyPI, cached per lock).
bash "$ROOT/scripts/setup-python.sh"
bash "$ROOT/scripts/setup-redis.sh"
# Kafka is the default profile's broker and its jars are the tests' independent topic reader; the other
# profiles' brokers are installed when BROKER selects one (make test-brokers installs all of them).
bash "$ROOT/scripts/setup-kafka.sh"
# Every daprd exports its spans to a local Zipkin (components/config.yaml); infra.sh starts it.
bash "$ROOT/scripts/setup-zipkin.sh"
[ "$BROKER" = kafka ] || bash "$ROOT/scripts/setup-brokers.sh" "$BROKER"
bash "$ROOT/scripts/setup-dapr.sh"
info "setup finished in $((SECONDS - start))s"

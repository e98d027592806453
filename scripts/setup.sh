#!/usr/bin/env bash
# Everything `make run` and `make test` need, idempotent: a second run on the same machine takes seconds.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
start=$SECONDS

step "Prerequisites"
need node "Install Node.js 20 (https://nodejs.org or your distribution's nodejs package)."
need npm "Install npm (it ships with Node.js)."
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || die "Node.js >= 20 required (found $(node --version))"
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

bash "$ROOT/scripts/setup-redis.sh"
# Kafka is the default profile's broker and its jars are the tests' independent topic reader; the other
# profiles' brokers are installed when BROKER selects one (make test-brokers installs all of them).
bash "$ROOT/scripts/setup-kafka.sh"
[ "$BROKER" = kafka ] || bash "$ROOT/scripts/setup-brokers.sh" "$BROKER"
bash "$ROOT/scripts/setup-dapr.sh"
info "setup finished in $((SECONDS - start))s"

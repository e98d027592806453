#!/usr/bin/env bash
# Provides daprd 1.18.3 and the dapr CLI 1.18.0 in the project-local runtime root ($ROOT/.dapr),
# which dapr.yaml and DAPR_RUNTIME_PATH point at. Order of preference:
#   1. already in the project root with the right version → nothing to do;
#   2. a matching install in the machine cache or ~/.dapr → copy it;
#   3. build from Go modules into the machine cache (cold: many minutes; the daprd link dominates).
source "$(dirname "$0")/lib/common.sh"

DAPRD_VERSION=1.18.3
CLI_VERSION=1.18.0
BIN="$ROOT/.dapr/bin"
CACHE_BIN="$CACHE_DIR/dapr-$DAPRD_VERSION-cli-$CLI_VERSION"
mkdir -p "$BIN" "$CACHE_BIN"

version_of() { "$1" --version 2>/dev/null | head -n1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true; }
cli_version_of() { "$1" version 2>/dev/null | grep -i 'CLI version' | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' || true; }

provide() { # provide <name> <wanted> <version-fn> <candidate...>
  local name=$1 wanted=$2 vfn=$3; shift 3
  local c
  for c in "$BIN/$name" "$@"; do
    if [ -x "$c" ] && [ "$($vfn "$c")" = "$wanted" ]; then
      [ "$c" = "$BIN/$name" ] || cp "$c" "$BIN/$name"
      info "$name $wanted: $c"
      return 0
    fi
  done
  return 1
}

step "Dapr runtime $DAPRD_VERSION and CLI $CLI_VERSION"
if ! provide daprd "$DAPRD_VERSION" version_of "$CACHE_BIN/daprd" "$HOME/.dapr/bin/daprd"; then
  need go "Install Go ≥ 1.26 (https://go.dev/dl) — daprd is built from Go modules."
  info "building daprd $DAPRD_VERSION from Go modules (first time only; 10-30 min on 2 cores)"
  work="$CACHE_DIR/daprd-build"
  rm -rf "$work" && cp -r "$ROOT/tools/daprd-build" "$work"
  ldflags="-X github.com/dapr/dapr/pkg/buildinfo.version=$DAPRD_VERSION -X github.com/dapr/kit/logger.DaprVersion=$DAPRD_VERSION"
  # stablecomponents: without a components tag daprd registers nothing and panics at start.
  (cd "$work" && with_heartbeat "go build daprd" "$work/build.log" \
    env CGO_ENABLED=0 GOFLAGS=-mod=mod go build -tags stablecomponents -ldflags "$ldflags" \
    -o "$CACHE_BIN/daprd" github.com/dapr/dapr/cmd/daprd)
  provide daprd "$DAPRD_VERSION" version_of "$CACHE_BIN/daprd" || die "built daprd does not report $DAPRD_VERSION"
fi

if ! provide dapr "$CLI_VERSION" cli_version_of "$CACHE_BIN/dapr" "$(command -v dapr || echo /nonexistent)"; then
  need go "Install Go ≥ 1.26 (https://go.dev/dl) — the dapr CLI is built from Go modules."
  info "building dapr CLI $CLI_VERSION (go install; the binary is named 'cli')"
  gobin="$CACHE_DIR/cli-gobin"
  with_heartbeat "go install dapr CLI" "$CACHE_DIR/cli-build.log" \
    env CGO_ENABLED=0 GOBIN="$gobin" go install -ldflags "-X main.version=$CLI_VERSION" "github.com/dapr/cli@v$CLI_VERSION"
  cp "$gobin/cli" "$CACHE_BIN/dapr"
  provide dapr "$CLI_VERSION" cli_version_of "$CACHE_BIN/dapr" || die "built dapr CLI does not report $CLI_VERSION"
fi

# The CLI wants a default config file and resources dir under the runtime root even when the run file
# names its own; keep a minimal one there.
mkdir -p "$ROOT/.dapr/components"
[ -f "$ROOT/.dapr/config.yaml" ] || printf 'apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: daprConfig\nspec: {}\n' >"$ROOT/.dapr/config.yaml"

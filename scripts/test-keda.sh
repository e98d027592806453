#!/usr/bin/env bash
# `make test-keda`: autoscaling on real consumer lag, end to end.
#   1. scripts/setup.sh, scripts/setup-kube.sh keda   Node, npm, bundles, daprd, Kafka jars; the control
#                                                     plane's binaries with KEDA (all cached)
#   2. scripts/kube.sh start --keda                   etcd, kube-apiserver, kube-controller-manager, KEDA's
#                                                     operator and metrics adapter, inside a network
#                                                     namespace that has only lo (run dir .run/keda-test)
#   3. vitest --project keda, INSIDE that namespace   (scripts/kube.sh exec): the test boots Kafka, Redis
#                                                     and every service with its daprd there too, so KEDA
#                                                     reaches the very Kafka the consumers use and nothing
#                                                     listens beyond loopback; it installs the chart with
#                                                     autoscaling on, builds a backlog and writes
#                                                     docs/autoscaling.md (+ .svg); report .run/test-results/keda.json
#   4. stop everything, also when a test fails: the control plane, and any process still in the namespace
# KEDA_TEST_RUN_DIR overrides the control plane's run dir (the platform's is .run/keda).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export RUN_DIR="${KEDA_TEST_RUN_DIR:-$ROOT/.run/keda-test}"
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"
cd "$ROOT"
t0=$SECONDS

step "setup (scripts/setup.sh; cached)"
# Its own markers live in .run (not the control plane's run dir), so the bundles are not rebuilt for nothing.
env -u RUN_DIR bash scripts/setup.sh
use_project_node # the project's node first on PATH, now that it exists
step "toolchain with KEDA (scripts/setup-kube.sh keda; cached)"
bash scripts/setup-kube.sh keda

NETNS_INODE=""
status=0
cleanup() {
  local d pid left=()
  # The platform's broker and Redis, should the test process have died before its teardown.
  RUN_DIR="$ROOT/.run/keda" bash scripts/infra.sh stop >/dev/null 2>&1 || true
  # Anything else still in the namespace was started by this run (the test's apps and sidecars, if vitest
  # was killed): the namespace is ours alone. Found by its inode, stopped by pid.
  if [ -n "$NETNS_INODE" ]; then
    for d in /proc/[0-9]*; do
      pid=${d#/proc/}
      [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "$NETNS_INODE" ] || continue
      [ "$pid" = "$(cat "$RUN_DIR/pids/kube-netns.pid" 2>/dev/null)" ] && continue
      case " $(cat "$RUN_DIR"/pids/*.pid 2>/dev/null | tr '\n' ' ') " in *" $pid "*) continue ;; esac
      left+=("$pid")
    done
    if [ ${#left[@]} -gt 0 ]; then
      info "stopping ${#left[@]} leftover process(es) in the test namespace: ${left[*]}"
      kill -TERM "${left[@]}" 2>/dev/null || true
      sleep 3
      kill -KILL "${left[@]}" 2>/dev/null || true
      status=1
    fi
  fi
  bash scripts/kube.sh stop || status=1
}
trap cleanup EXIT

step "control plane with KEDA in a network namespace (scripts/kube.sh start --keda, run dir $RUN_DIR)"
bash scripts/kube.sh start --keda
# shellcheck disable=SC1091
source "$RUN_DIR/kube/env"
NETNS_INODE=$(readlink "/proc/$KUBE_NETNS_PID/ns/net")

step "vitest --project keda (inside the namespace)"
mkdir -p .run/test-results
bash scripts/kube.sh exec -- npx vitest run --project keda --reporter=default --reporter=json \
  --outputFile.json=.run/test-results/keda.json || status=1
info "make test-keda: $((SECONDS - t0)) s"
trap - EXIT
cleanup
exit $status

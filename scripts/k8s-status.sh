#!/usr/bin/env bash
# `make k8s-status [NS=<namespace>] [WATCH=1]`: the operator's status screen (tools/k8s-status) — per
# namespace each service's desired/ready replicas, its KEDA ScaledObject and current lag metric, the Dapr
# components and their scopes, recent warning events. Extra arguments go to the tool (-n, --watch,
# --interval). The cluster: KUBECONFIG when set; otherwise the project's local control plane in
# $RUN_DIR/kube (scripts/kube.sh; RUN_DIR=.run/keda-test for the one `make test-keda` runs), entered
# through its network namespace when it has one.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$ROOT" || exit
[ -f node_modules/@kubernetes/client-node/package.json ] || die "npm packages missing: run make setup"
args=()
[ -z "${NS:-}" ] || args+=(--namespace "$NS")
[ -z "${WATCH:-}" ] || args+=(--watch)
cmd=(node --import tsx tools/k8s-status/main.ts "${args[@]}" "$@")
if [ -z "${KUBECONFIG:-}" ]; then
  [ -f "$RUN_DIR/kube/env" ] || [ -f "$HOME/.kube/config" ] ||
    die "no cluster: set KUBECONFIG, or start the local one (scripts/kube.sh start [--keda]; make test-keda runs its own under RUN_DIR=.run/keda-test)"
  [ -f "$RUN_DIR/kube/env" ] && exec bash "$ROOT/scripts/kube.sh" exec -- "${cmd[@]}"
fi
exec "${cmd[@]}"

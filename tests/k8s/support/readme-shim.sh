# shellcheck shell=bash
# Sourced by tests/k8s/readme-commands.test.ts before the README's "On Kubernetes" block, which then runs
# as written. helm and kubectl become functions in front of the real binaries that make only the
# substitutions this machine forces, each logged to $SHIM_LOG (one line per command):
#   helm repo add/update                 skipped: no chart repository is reachable here
#   kedacore/keda, redpanda/redpanda     skipped: not in any Go module (their pins are checked against k8s/)
#   dapr/dapr                            → $DAPR_CHART, the same chart from github.com/dapr/dapr@v1.18.3
#   --wait                               dropped: without a kubelet nothing ever becomes Ready
#   helm/todo-platform                   + --no-hooks: the topic Job needs a broker and a kubelet
log() { printf '%s\n' "$*" >>"$SHIM_LOG"; }
helm() {
  case "$1 ${2:-}" in
    "repo add" | "repo update")
      log "skipped (offline): helm $*"
      return 0
      ;;
  esac
  local a app=0 args=()
  for a in "$@"; do
    case "$a" in
      dapr/dapr) args+=("$DAPR_CHART") ;;
      kedacore/keda | redpanda/redpanda)
        log "skipped (chart not reachable offline): helm $*"
        return 0
        ;;
      --wait) ;;
      helm/todo-platform) args+=("$a") app=1 ;;
      *) args+=("$a") ;;
    esac
  done
  [ "$app" = 0 ] || args+=(--no-hooks)
  log "ran: helm ${args[*]}"
  command helm "${args[@]}"
}
kubectl() {
  log "ran: kubectl $*"
  command kubectl "$@"
}

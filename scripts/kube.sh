#!/usr/bin/env bash
# A real, throwaway Kubernetes control plane on loopback for tests: etcd + kube-apiserver +
# kube-controller-manager (no scheduler, no kubelet: Pods stay Pending, but Deployments, ReplicaSets,
# HPAs, CRDs, RBAC, server-side apply and helm install all work), with the Dapr and KEDA CRDs applied.
#   scripts/kube.sh start [--keda]   start it (--keda: plus the KEDA operator and metrics adapter)
#   scripts/kube.sh stop             stop every process it started and remove its state (logs are kept)
#   scripts/kube.sh env              print the env file (source it: KUBECONFIG, ports, pids, KUBE_EXEC)
#   scripts/kube.sh exec -- CMD...   run CMD where the control plane is reachable, with KUBECONFIG set
#                                    and .run/kube/bin on PATH (inside the network namespace with --keda)
# Binaries come from scripts/setup-kube.sh [keda]. With --keda everything runs inside a network
# namespace that has only `lo`, because keda-adapter binds all interfaces (docs/kube-toolchain.md).
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

KUBE="$RUN_DIR/kube"
BIN="$KUBE/bin"
PKI="$KUBE/pki"
KEDA_CERTS="$KUBE/keda-certs"
LOGS="$KUBE/logs"
ENV_FILE="$KUBE/env"
KCFG="$KUBE/admin.kubeconfig"
# Stopped in this order (reverse of start); the netns holder goes last.
NAMES=(keda-adapter keda-operator kube-controller-manager kube-apiserver kube-etcd kube-netns)

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

# --- running commands where the control plane lives -------------------------------------------------
NS_PID=""
in_ns() { # in_ns <cmd...>: run inside the namespace when there is one
  if [ -n "$NS_PID" ]; then nsenter -t "$NS_PID" -n -- "$@"; else "$@"; fi
}
kc() { in_ns "$BIN/kubectl" --kubeconfig "$KCFG" "$@"; }

# Picks a free TCP port on 127.0.0.1 (inside the namespace, if any) below the ephemeral range.
PICKED=" "
free_port() { # free_port <var>: sets var (not echoed: a $(subshell) would forget PICKED)
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 12000))
    case "$PICKED" in *" $p "*) continue ;; esac
    if ! in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null && ! in_ns ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
      PICKED+="$p "
      printf -v "$1" %s "$p"
      return 0
    fi
  done
  die "no free port found"
}

# wait_for <seconds> <label> <process name> <cmd...>: until cmd succeeds; dies early if the process died.
wait_for() {
  local limit=$1 label=$2 name=$3 start=$SECONDS; shift 3
  until "$@" >/dev/null 2>&1; do
    if ! alive "$name"; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name exited while waiting for $label (log: $LOGS/$name.log)"
    fi
    ((SECONDS - start < limit)) || { tail -n 30 "$LOGS/$name.log" >&2 || true; die "$label not within ${limit}s (log: $LOGS/$name.log)"; }
    sleep 0.5
  done
  info "$label after $((SECONDS - start))s"
}

# --- PKI ------------------------------------------------------------------------------------------------
# sign <name> <subject> <extensions>: key + cert signed by the CA.
sign() {
  local name=$1 subj=$2 ext=$3
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n%s\n' "$ext" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 365 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

make_pki() {
  rm -rf "$PKI" "$KEDA_CERTS" && mkdir -p "$PKI" "$KEDA_CERTS" && chmod 700 "$PKI" "$KEDA_CERTS"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 365 -sha256 \
    -subj "/CN=todo-platform-local-kube-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  sign apiserver "/CN=kube-apiserver" "extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  sign admin "/O=system:masters/CN=kubernetes-admin" "extendedKeyUsage=clientAuth"
  sign front-proxy "/CN=front-proxy-client" "extendedKeyUsage=clientAuth"
  sign keda "/CN=keda-operator" "extendedKeyUsage=serverAuth,clientAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:keda-operator.keda.svc.cluster.local,DNS:keda-operator.keda.svc,DNS:keda-metrics-apiserver.keda.svc,DNS:keda-metrics-apiserver.keda.svc.cluster.local"
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  cp "$PKI/ca.crt" "$KEDA_CERTS/ca.crt"
  cp "$PKI/keda.crt" "$KEDA_CERTS/tls.crt"
  cp "$PKI/keda.key" "$KEDA_CERTS/tls.key"
}

make_kubeconfig() { # make_kubeconfig <apiserver port>
  local k=("$BIN/kubectl" --kubeconfig "$KCFG" config)
  rm -f "$KCFG"
  "${k[@]}" set-cluster local --server="https://127.0.0.1:$1" --certificate-authority="$PKI/ca.crt" --embed-certs=true >/dev/null
  "${k[@]}" set-credentials admin --client-certificate="$PKI/admin.crt" --client-key="$PKI/admin.key" --embed-certs=true >/dev/null
  "${k[@]}" set-context local --cluster=local --user=admin >/dev/null
  "${k[@]}" use-context local >/dev/null
  chmod 600 "$KCFG"
}

# --- start ------------------------------------------------------------------------------------------
start() {
  local keda=0 a
  for a in "$@"; do
    case "$a" in --keda) keda=1 ;; *) die "unknown option '$a' (usage: scripts/kube.sh start [--keda])" ;; esac
  done
  if alive kube-apiserver && [ -f "$ENV_FILE" ]; then
    # shellcheck disable=SC1090
    source "$ENV_FILE"
    [ "${KUBE_KEDA:-0}" = "$keda" ] || die "a control plane is already running with KUBE_KEDA=${KUBE_KEDA:-0}; scripts/kube.sh stop first"
    info "already running (KUBECONFIG=$KCFG; scripts/kube.sh env)"
    return 0
  fi
  local b need_bins=(etcd kube-apiserver kube-controller-manager kubectl)
  [ "$keda" = 1 ] && need_bins+=(keda-operator keda-adapter)
  for b in "${need_bins[@]}"; do
    [ -x "$BIN/$b" ] || die "$BIN/$b missing: run scripts/setup-kube.sh$([ "$keda" = 1 ] && echo ' keda')"
  done
  ls "$KUBE"/crds/dapr/*.yaml "$KUBE"/crds/keda/*.yaml >/dev/null 2>&1 || die "CRDs missing in $KUBE/crds: run scripts/setup-kube.sh"
  need openssl "apt-get install openssl"
  do_stop quiet || true  # leftovers of a crashed run
  START_OK=0
  trap '[ "$START_OK" = 1 ] || { info "start failed; stopping what was started (logs kept in $LOGS)"; do_stop quiet || true; }' EXIT
  mkdir -p "$LOGS"
  local t0=$SECONDS

  if [ "$keda" = 1 ]; then
    step "network namespace (only lo)"
    need unshare "apt-get install util-linux (scripts/setup-kube.sh does)"
    need nsenter "apt-get install util-linux (scripts/setup-kube.sh does)"
    need ip "apt-get install iproute2 (scripts/setup-kube.sh does)"
    spawn kube-netns "$LOGS/kube-netns.log" unshare -n sleep infinity
    NS_PID=$(cat "$PIDS/kube-netns.pid")
    for ((a = 0; a < 50; a++)); do
      [ "$(readlink "/proc/$NS_PID/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] && break
      sleep 0.1
    done
    [ "$(readlink "/proc/$NS_PID/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] \
      || die "unshare -n did not create a network namespace (log: $LOGS/kube-netns.log)"
    nsenter -t "$NS_PID" -n ip link set lo up
    info "netns held by pid $NS_PID; enter it with: nsenter -t $NS_PID -n <cmd> (or scripts/kube.sh exec -- <cmd>)"
  fi

  step "PKI in $PKI"
  make_pki
  local ETCD_PORT ETCD_PEER_PORT API_PORT KCM_PORT
  free_port ETCD_PORT; free_port ETCD_PEER_PORT; free_port API_PORT; free_port KCM_PORT
  make_kubeconfig "$API_PORT"

  step "etcd on 127.0.0.1:$ETCD_PORT"
  rm -rf "$KUBE/etcd-data"
  spawn kube-etcd "$LOGS/kube-etcd.log" ${NS_PID:+nsenter -t "$NS_PID" -n --} "$BIN/etcd" --name local \
    --data-dir "$KUBE/etcd-data" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "local=http://127.0.0.1:$ETCD_PEER_PORT" --log-level warn
  wait_for 30 "etcd healthy" kube-etcd in_ns curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

  step "kube-apiserver on https://127.0.0.1:$API_PORT"
  spawn kube-apiserver "$LOGS/kube-apiserver.log" ${NS_PID:+nsenter -t "$NS_PID" -n --} "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --secure-port="$API_PORT" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range=10.0.0.0/24 --authorization-mode=RBAC --endpoint-reconciler-type=none \
    --requestheader-client-ca-file="$PKI/ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy.crt" --proxy-client-key-file="$PKI/front-proxy.key"
  wait_for 120 "kube-apiserver /readyz ok" kube-apiserver kc get --raw /readyz

  step "kube-controller-manager (HPA sync 5s)"
  spawn kube-controller-manager "$LOGS/kube-controller-manager.log" ${NS_PID:+nsenter -t "$NS_PID" -n --} \
    "$BIN/kube-controller-manager" --kubeconfig="$KCFG" \
    --authentication-kubeconfig="$KCFG" --authorization-kubeconfig="$KCFG" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --horizontal-pod-autoscaler-sync-period=5s
  wait_for 60 "kube-controller-manager /healthz ok" kube-controller-manager \
    in_ns curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz"

  step "CRDs: Dapr ($(ls "$KUBE"/crds/dapr/*.yaml | wc -l)) and KEDA ($(ls "$KUBE"/crds/keda/*.yaml | wc -l)), server-side"
  kc apply --server-side -f "$KUBE/crds/dapr/" -f "$KUBE/crds/keda/" >"$LOGS/crds.log" 2>&1 \
    || { cat "$LOGS/crds.log" >&2; die "applying the CRDs failed"; }
  kc wait --for condition=Established --timeout=60s crd --all >>"$LOGS/crds.log" 2>&1 \
    || { cat "$LOGS/crds.log" >&2; die "CRDs not Established"; }
  info "$(kc get crd --no-headers | wc -l) CRDs Established"

  local KEDA_OP_METRICS="" KEDA_OP_HEALTH="" KEDA_GRPC="" KEDA_ADAPTER_PORT="" KEDA_ADAPTER_METRICS=""
  if [ "$keda" = 1 ]; then
    free_port KEDA_OP_METRICS; free_port KEDA_OP_HEALTH; free_port KEDA_GRPC
    free_port KEDA_ADAPTER_PORT; free_port KEDA_ADAPTER_METRICS
    step "KEDA operator (gRPC 127.0.0.1:$KEDA_GRPC) and metrics adapter (:$KEDA_ADAPTER_PORT, netns)"
    kc apply --server-side -f - >"$LOGS/keda-objects.log" 2>&1 <<EOF || { cat "$LOGS/keda-objects.log" >&2; die "creating the keda namespace/APIService failed"; }
apiVersion: v1
kind: Namespace
metadata: {name: keda}
---
# The apiserver reaches the out-of-cluster adapter through this name (localhost = the netns loopback).
apiVersion: v1
kind: Service
metadata: {name: keda-metrics-apiserver, namespace: keda}
spec: {type: ExternalName, externalName: localhost}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.external.metrics.k8s.io}
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true
  service: {name: keda-metrics-apiserver, namespace: keda, port: $KEDA_ADAPTER_PORT}
EOF
    local kenv=(env KUBECONFIG="$KCFG" WATCH_NAMESPACE= POD_NAMESPACE=keda KEDA_CLUSTER_OBJECT_NAMESPACE=keda)
    spawn keda-operator "$LOGS/keda-operator.log" nsenter -t "$NS_PID" -n -- "${kenv[@]}" "$BIN/keda-operator" \
      --metrics-bind-address="127.0.0.1:$KEDA_OP_METRICS" --health-probe-bind-address="127.0.0.1:$KEDA_OP_HEALTH" \
      --metrics-service-bind-address="127.0.0.1:$KEDA_GRPC" --cert-dir="$KEDA_CERTS" --ca-dir="$KEDA_CERTS" \
      --enable-webhook-patching=false --enable-apiservice-patching=false
    spawn keda-adapter "$LOGS/keda-adapter.log" nsenter -t "$NS_PID" -n -- "${kenv[@]}" "$BIN/keda-adapter" \
      --secure-port="$KEDA_ADAPTER_PORT" --bind-address=127.0.0.1 --cert-dir="$KEDA_CERTS" \
      --tls-cert-file="$KEDA_CERTS/tls.crt" --tls-private-key-file="$KEDA_CERTS/tls.key" \
      --lister-kubeconfig="$KCFG" --authentication-kubeconfig="$KCFG" --authorization-kubeconfig="$KCFG" \
      --metrics-service-address="127.0.0.1:$KEDA_GRPC" --port="$KEDA_ADAPTER_METRICS"
    wait_for 120 "keda-operator ready" keda-operator in_ns curl -fsS "http://127.0.0.1:$KEDA_OP_HEALTH/readyz"
    wait_for 180 "APIService v1beta1.external.metrics.k8s.io Available" keda-adapter \
      kc wait --for=condition=Available --timeout=5s apiservice/v1beta1.external.metrics.k8s.io
  fi

  write_env "$keda" "$ETCD_PORT" "$ETCD_PEER_PORT" "$API_PORT" "$KCM_PORT" \
    "$KEDA_OP_METRICS" "$KEDA_OP_HEALTH" "$KEDA_GRPC" "$KEDA_ADAPTER_PORT" "$KEDA_ADAPTER_METRICS"
  START_OK=1
  step "control plane up in $((SECONDS - t0))s: source $ENV_FILE$([ "$keda" = 1 ] && echo ' and use scripts/kube.sh exec -- kubectl …')"
}

pid_of() { [ -f "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid" || true; }

write_env() {
  local keda=$1 exec_prefix=""
  [ -n "$NS_PID" ] && exec_prefix="nsenter -t $NS_PID -n --"
  {
    echo "# Local Kubernetes control plane (scripts/kube.sh start$([ "$keda" = 1 ] && echo ' --keda')), $(date -u +%FT%TZ)."
    echo "# Source it. With KUBE_NETNS_PID set, 127.0.0.1 below is the loopback of that network namespace:"
    echo "# reach it with \$KUBE_EXEC <cmd> (= nsenter -t \$KUBE_NETNS_PID -n --) or scripts/kube.sh exec -- <cmd>."
    printf 'export KUBECONFIG=%q\n' "$KCFG"
    printf 'export KUBE_BIN=%q\n' "$BIN"
    printf 'export KUBE_KEDA=%s\n' "$keda"
    printf 'export KUBE_NETNS_PID=%s\n' "$NS_PID"
    printf 'export KUBE_EXEC=%q\n' "$exec_prefix"
    printf 'export KUBE_API_SERVER=%q\n' "https://127.0.0.1:$4"
    printf 'export KUBE_API_PORT=%s\n' "$4"
    printf 'export KUBE_ETCD_PORT=%s\n' "$2"
    printf 'export KUBE_ETCD_PEER_PORT=%s\n' "$3"
    printf 'export KUBE_KCM_PORT=%s\n' "$5"
    printf 'export KEDA_OPERATOR_METRICS_PORT=%s\n' "$6"
    printf 'export KEDA_OPERATOR_HEALTH_PORT=%s\n' "$7"
    printf 'export KEDA_OPERATOR_GRPC_PORT=%s\n' "$8"
    printf 'export KEDA_ADAPTER_PORT=%s\n' "$9"
    printf 'export KEDA_ADAPTER_METRICS_PORT=%s\n' "${10}"
    printf 'export KUBE_ETCD_PID=%s\n' "$(pid_of kube-etcd)"
    printf 'export KUBE_APISERVER_PID=%s\n' "$(pid_of kube-apiserver)"
    printf 'export KUBE_CONTROLLER_MANAGER_PID=%s\n' "$(pid_of kube-controller-manager)"
    printf 'export KEDA_OPERATOR_PID=%s\n' "$(pid_of keda-operator)"
    printf 'export KEDA_ADAPTER_PID=%s\n' "$(pid_of keda-adapter)"
  } >"$ENV_FILE"
}

# --- stop ---------------------------------------------------------------------------------------------
do_stop() { # do_stop [quiet]
  local n pid pids=() survivors=()
  for n in "${NAMES[@]}"; do
    pid=$(pid_of "$n")
    [ -n "$pid" ] && pids+=("$n:$pid")
    # stop_one fails for a survivor; go on stopping the others, the check below reports it.
    if [ "${1:-}" = quiet ]; then stop_one "$n" 2>/dev/null || true; else stop_one "$n" || true; fi
  done
  for n in "${pids[@]}"; do
    pid=${n#*:}
    # A zombie (reaped later by init) no longer runs: count only live processes.
    if kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
      survivors+=("$n")
    fi
  done
  rm -rf "$PKI" "$KEDA_CERTS" "$KUBE/etcd-data" "$KCFG" "$ENV_FILE"
  if [ ${#survivors[@]} -gt 0 ]; then
    printf '\033[31merror:\033[0m still running after stop: %s\n' "${survivors[*]}" >&2
    return 1
  fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  start) start "$@" ;;
  stop)
    step "stopping the local control plane"
    do_stop
    ;;
  env)
    [ -f "$ENV_FILE" ] || die "not running (no $ENV_FILE): scripts/kube.sh start [--keda]"
    cat "$ENV_FILE"
    ;;
  exec)
    [ "${1:-}" = -- ] && shift
    [ $# -gt 0 ] || usage 1
    [ -f "$ENV_FILE" ] || die "not running (no $ENV_FILE): scripts/kube.sh start [--keda]"
    # shellcheck disable=SC1090
    source "$ENV_FILE"
    export PATH="$KUBE_BIN:$PATH"
    if [ -n "${KUBE_NETNS_PID:-}" ]; then
      kill -0 "$KUBE_NETNS_PID" 2>/dev/null || die "the namespace holder (pid $KUBE_NETNS_PID) is gone: scripts/kube.sh stop; start"
      exec nsenter -t "$KUBE_NETNS_PID" -n -- "$@"
    fi
    exec "$@"
    ;;
  -h | --help | help) usage 0 ;;
  *) usage 1 ;;
esac

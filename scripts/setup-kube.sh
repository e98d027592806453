#!/usr/bin/env bash
# Provides a local Kubernetes toolchain, built from Go modules (no Docker, no release downloads), in
# $ROOT/.run/kube/ for scripts/kube.sh and the chart tests:
#   bin/    etcd, kube-apiserver, kube-controller-manager, kubectl, helm (+ keda-operator, keda-adapter
#           with the `keda` argument)
#   crds/   dapr/*.yaml (Dapr v1.18.3) and keda/*.yaml (KEDA v2.21.0)
#   charts/ dapr/ (the Dapr v1.18.3 Helm chart)
# Usage: scripts/setup-kube.sh [keda]
# Each piece is keyed by a recipe hash (its wrapper module under tools/kube/ + version + build flags) to
# a machine-wide cache, $CACHE_DIR/kube-<piece>-<hash>/: built once per machine (cold: ~15-18 min
# for everything on 2 cores), then a fresh clone sets up in seconds. See docs/kube-toolchain.md.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

WANT_KEDA=0
for a in "$@"; do
  case "$a" in
    keda) WANT_KEDA=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$a' (usage: scripts/setup-kube.sh [keda])" ;;
  esac
done

K8S_VERSION=v1.35.4
ETCD_VERSION=v3.6.16
HELM_VERSION=v3.22.0
KEDA_VERSION=v2.21.0
DAPR_VERSION=v1.18.3
# helm's capabilities default to the k8s.io/client-go it is built with (v0.37 → Kubernetes 1.37),
# as helm's own Makefile computes.
HELM_K8S_MAJOR=1 HELM_K8S_MINOR=37

KUBE="$RUN_DIR/kube"
BIN="$KUBE/bin"
WRAP="$ROOT/tools/kube"
LOGS="$CACHE_DIR/kube-logs"
mkdir -p "$BIN" "$LOGS"
export CGO_ENABLED=0
# Flags of every build, on the command line so they win over GOFLAGS (including `go env -w` ones):
# -mod=readonly never rewrites the committed go.mod/go.sum; -buildvcs=false keeps this repository's
# commit out of etcd's binary (its main package is in our tree), so every commit builds the same bytes.
BUILD_FLAGS=(-trimpath -buildvcs=false)

# Build date stamped into the binaries: the module's publication time, so rebuilds are identical.
module_time() { # module_time <path@version>
  (cd "$CACHE_DIR" && GOFLAGS='' go mod download -json "$1" | sed -n 's/^[[:space:]]*"Info": "\(.*\)",$/\1/p' \
    | xargs cat | sed -n 's/.*"Time":"\([^"]*\)".*/\1/p')
}
module_dir() { # module_dir <path@version>
  (cd "$CACHE_DIR" && GOFLAGS='' go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}

# ldflags per piece; part of the recipe hash (with @DATE@ standing for module_time).
k8s_ldflags() {
  local v=${K8S_VERSION#v} f="" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=${v%%.*} -X $p.gitMinor=$(cut -d. -f2 <<<"$v")"
    f+=" -X $p.gitTreeState=clean -X $p.buildDate=@DATE@"
  done
  echo "-s -w$f"
}
ETCD_LDFLAGS="-s -w"  # etcd's version is a constant in go.etcd.io/etcd/api/v3/version (3.6.16)
HELM_LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$HELM_K8S_MAJOR -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM_K8S_MINOR \
-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$HELM_K8S_MAJOR -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_K8S_MINOR"
KEDA_LDFLAGS="-s -w -X github.com/kedacore/keda/v2/version.Version=${KEDA_VERSION#v}"

recipe() { # recipe <piece> <version> <ldflags> [wrapper dir] → 12-hex hash
  local piece=$1 version=$2 flags=$3 dir=${4:-}
  {
    echo "$piece $version $flags CGO_ENABLED=$CGO_ENABLED ${BUILD_FLAGS[*]} -mod=readonly"
    [ -z "$dir" ] || cat "$dir"/go.mod "$dir"/go.sum "$dir"/*.go
  } | sha256sum | cut -c1-12
}

# provide <piece> <hash> <binaries...>: link the cached binaries into $BIN; fails when not cached.
provide() {
  local piece=$1 hash=$2 b; shift 2
  local cache="$CACHE_DIR/kube-$piece-$hash"
  [ -f "$cache/.complete" ] || return 1
  for b in "$@"; do
    [ -x "$cache/$b" ] || return 1
  done
  for b in "$@"; do
    # Hard link (same file system, no copy of ~100 MB), else copy.
    ln -f "$cache/$b" "$BIN/$b" 2>/dev/null || cp -f "$cache/$b" "$BIN/$b"
  done
  info "$piece: $* ← $cache"
}

# build_go <piece> <hash> <wrapper dir> <ldflags> <bin=package>...: one `go build` per binary.
build_go() {
  local piece=$1 hash=$2 dir=$3 flags=$4 spec b pkg t0=$SECONDS; shift 4
  local cache="$CACHE_DIR/kube-$piece-$hash"
  mkdir -p "$cache"
  for spec in "$@"; do
    b=${spec%%=*} pkg=${spec#*=}
    [ -x "$cache/$b" ] && continue  # a previous, interrupted run got this far
    # -v prints each package as it compiles: that is the progress the heartbeat shows.
    with_heartbeat "go build $b" "$LOGS/$piece-$b.log" \
      go build -C "$dir" -v -mod=readonly "${BUILD_FLAGS[@]}" -ldflags "$flags" -o "$cache/$b.tmp" "$pkg"
    mv "$cache/$b.tmp" "$cache/$b"
  done
  touch "$cache/.complete"
  info "$piece built in $((SECONDS - t0))s"
}

need go "Install Go ≥ 1.26 (https://go.dev/dl): the toolchain is built from Go modules."
# scripts/kube.sh needs openssl (PKI) and, for --keda, unshare/nsenter (util-linux) and ip (iproute2).
missing=()
command -v openssl >/dev/null || missing+=(openssl)
{ command -v unshare >/dev/null && command -v nsenter >/dev/null; } || missing+=(util-linux)
command -v ip >/dev/null || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]} (for scripts/kube.sh)"
  apt_install kube-tools "${missing[@]}"
fi

# --- etcd -------------------------------------------------------------------------------------------
step "etcd $ETCD_VERSION"
h=$(recipe etcd "$ETCD_VERSION" "$ETCD_LDFLAGS" "$WRAP/etcd")
if ! provide etcd "$h" etcd; then
  info "building etcd from Go modules (first time on this machine; ~1-2 min on 2 cores)"
  build_go etcd "$h" "$WRAP/etcd" "$ETCD_LDFLAGS" etcd=.
  provide etcd "$h" etcd || die "etcd build left no binary"
fi

# --- kube-apiserver, kube-controller-manager, kubectl ----------------------------------------------
step "Kubernetes $K8S_VERSION (kube-apiserver, kube-controller-manager, kubectl)"
K8S_LDFLAGS=$(k8s_ldflags)
h=$(recipe kubernetes "$K8S_VERSION" "$K8S_LDFLAGS" "$WRAP/kubernetes")
if ! provide kubernetes "$h" kube-apiserver kube-controller-manager kubectl; then
  info "building Kubernetes from Go modules (first time on this machine; ~5-7 min on 2 cores)"
  date=$(module_time "k8s.io/kubernetes@$K8S_VERSION")
  build_go kubernetes "$h" "$WRAP/kubernetes" "${K8S_LDFLAGS//@DATE@/$date}" \
    kubectl=k8s.io/kubernetes/cmd/kubectl \
    kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager \
    kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver
  provide kubernetes "$h" kube-apiserver kube-controller-manager kubectl || die "Kubernetes build left no binaries"
fi

# --- helm ---------------------------------------------------------------------------------------------
step "helm $HELM_VERSION"
h=$(recipe helm "$HELM_VERSION" "$HELM_LDFLAGS")
if ! provide helm "$h" helm; then
  info "building helm from Go modules (first time on this machine; ~1-2 min on 2 cores)"
  cache="$CACHE_DIR/kube-helm-$h" t0=$SECONDS
  mkdir -p "$cache"
  # helm has no replace directives, so `go install pkg@version` builds it; run outside any module.
  (cd "$cache" && with_heartbeat "go install helm" "$LOGS/helm.log" \
    env GOBIN="$cache" GOFLAGS= go install -v "${BUILD_FLAGS[@]}" -ldflags "$HELM_LDFLAGS" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION")
  touch "$cache/.complete"
  info "helm built in $((SECONDS - t0))s"
  provide helm "$h" helm || die "helm build left no binary"
fi

# --- KEDA operator + metrics adapter ----------------------------------------------------------------
if [ "$WANT_KEDA" = 1 ]; then
  step "KEDA $KEDA_VERSION (keda-operator, keda-adapter)"
  h=$(recipe keda "$KEDA_VERSION" "$KEDA_LDFLAGS" "$WRAP/keda")
  if ! provide keda "$h" keda-operator keda-adapter; then
    info "building KEDA from Go modules (first time on this machine; ~8-9 min on 2 cores)"
    build_go keda "$h" "$WRAP/keda" "$KEDA_LDFLAGS" \
      keda-operator=github.com/kedacore/keda/v2/cmd/operator \
      keda-adapter=github.com/kedacore/keda/v2/cmd/adapter
    provide keda "$h" keda-operator keda-adapter || die "KEDA build left no binaries"
  fi
fi

# --- CRDs and the Dapr chart, straight from the module zips ---------------------------------------
step "CRDs (Dapr $DAPR_VERSION, KEDA $KEDA_VERSION) and the Dapr chart"
mark="$KUBE/.assets-dapr-$DAPR_VERSION-keda-$KEDA_VERSION"
if [ -f "$mark" ] && ls "$KUBE"/crds/dapr/*.yaml "$KUBE"/crds/keda/*.yaml "$KUBE"/charts/dapr/Chart.yaml >/dev/null 2>&1; then
  info "already in $KUBE/crds and $KUBE/charts"
else
  dapr_dir=$(module_dir "github.com/dapr/dapr@$DAPR_VERSION")
  keda_dir=$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")
  [ -d "$dapr_dir/charts/dapr/crds" ] || die "github.com/dapr/dapr@$DAPR_VERSION has no charts/dapr/crds (go mod download failed?)"
  [ -d "$keda_dir/config/crd/bases" ] || die "github.com/kedacore/keda/v2@$KEDA_VERSION has no config/crd/bases"
  rm -rf "$KUBE/crds" "$KUBE/charts" "$KUBE"/.assets-*
  mkdir -p "$KUBE/crds/dapr" "$KUBE/crds/keda" "$KUBE/charts"
  cp "$dapr_dir"/charts/dapr/crds/*.yaml "$KUBE/crds/dapr/"
  cp "$keda_dir"/config/crd/bases/*.yaml "$KUBE/crds/keda/"
  cp -r "$dapr_dir/charts/dapr" "$KUBE/charts/dapr"
  chmod -R u+w "$KUBE/crds" "$KUBE/charts"  # the module cache is read-only
  touch "$mark"
fi
info "crds/dapr: $(ls "$KUBE/crds/dapr" | wc -l) files, crds/keda: $(ls "$KUBE/crds/keda" | wc -l) files, charts/dapr"

step "toolchain in $BIN"
ver() { # ver <binary>: its version line
  case "$1" in
    kubectl) "$BIN/kubectl" version --client 2>/dev/null | head -n1 ;;
    helm) "$BIN/helm" version --short 2>/dev/null ;;
    keda-*) echo "KEDA $KEDA_VERSION" ;;  # no --version flag; the version is stamped for its logs
    *) "$BIN/$1" --version 2>/dev/null | head -n1 ;;
  esac
}
for b in "$BIN"/*; do
  [ -x "$b" ] || continue
  info "$(basename "$b"): $(ver "$(basename "$b")")"
done

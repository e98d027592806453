#!/usr/bin/env bash
# `make run`: setup, infrastructure, then every app in dapr.yaml with its sidecar. Ctrl-C stops it all.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
setup_platform
# Every port first (apps, sidecars, Redis, the broker, Zipkin): a taken one is named with its holder
# before anything starts, instead of a sidecar dying half-way through start-up.
step "Ports"
(cd "$ROOT" && node --import tsx tools/launcher/ports.ts) || exit 1
info "all free"
bash "$ROOT/scripts/infra.sh" start
trap 'bash "$ROOT/scripts/infra.sh" stop' EXIT

step "Apps and sidecars (dapr.yaml)"
cd "$ROOT" || exit
# Both tokens are per-checkout randoms from the run dir (never committed); daprd reads them from its env.
node --import tsx -e "import('./tools/launcher/secrets.ts').then(m => m.ensureDevSecrets('$RUN_DIR'))"
if command -v dapr >/dev/null 2>&1 && dapr version 2>/dev/null | grep -q 'CLI version: 1\.18'; then
  info "using the dapr CLI: dapr run -f dapr.yaml (broker profile: $BROKER)"
  eval "$(node -e "const t=require('$RUN_DIR/dev-tokens.json');console.log('export DAPR_API_TOKEN='+t.daprApiToken+' APP_API_TOKEN='+t.appApiToken)")"
  runfile=dapr.yaml
  if [ "$BROKER" != kafka ]; then # the same file with the broker profile's folder instead of Kafka's
    runfile=".dapr.$BROKER.yaml"
    sed "s#\./components/kafka\$#./components/$BROKER#" dapr.yaml >"$runfile"
  fi
  dapr run -f "$runfile"
else
  info "no dapr CLI 1.18 installed: the project launcher runs dapr.yaml"
  node --import tsx tools/launcher/main.ts
fi

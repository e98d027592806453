#!/usr/bin/env bash
# `make test-brokers`: the same tests on every broker profile (BROKERS="kafka redis" to pick some):
#   1. the whole integration suite (tests/integration), unchanged;
#   2. the fault suite's broker-level scenarios: a shorter stream through crashes (consumer app and
#      sidecar kill -9, outbox sidecar kill -9, broker restart, Redis restart: 0 lost, 0 duplicated)
#      and poison / transient / replay (exact attempts, dead letters, one effect per replay).
# Then prints the matrix and writes it to docs/broker-matrix.md. Each profile boots its own broker,
# Redis and sidecars on free ports; nothing is shared between profiles.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$ROOT" || exit
brokers="${BROKERS:-kafka redis rabbitmq mqtt}"
out="$RUN_DIR/test-results/brokers"
rm -rf "$out" && mkdir -p "$out"
for b in $brokers; do BROKER=$b bash scripts/setup.sh; done
use_project_node # installed by the first setup on a fresh machine

status=0
for b in $brokers; do
  start=$SECONDS
  step "Broker profile $b: integration suite"
  BROKER=$b npx vitest run --project integration --reporter=default --reporter=json \
    --outputFile.json="$out/$b-integration.json" || status=1
  step "Broker profile $b: fault scenarios (stream through crashes; poison, transient, replay)"
  # One reminder replica: the stream and poison scenarios need none more, and MQTT has no consumer groups.
  BROKER=$b FAULT_STREAM_TASKS="${FAULT_STREAM_TASKS:-200}" FAULT_STREAM_MS="${FAULT_STREAM_MS:-60000}" \
    FAULT_REMINDER_REPLICAS=1 FAULT_FIGURES_DIR="$out/$b-figures" FAULT_REPORT="$out/$b-fault-report.md" \
    npx vitest run --project faults tests/faults/1-stream-through-crashes.test.ts tests/faults/2-poison-transient-replay.test.ts \
    --reporter=default --reporter=json --outputFile.json="$out/$b-faults.json" || status=1
  echo $((SECONDS - start)) >"$out/$b.seconds"
done
node --import tsx tests/support/broker-matrix.ts "$out" "$ROOT/docs/broker-matrix.md" $brokers
exit $status

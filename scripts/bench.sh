#!/usr/bin/env bash
# `make bench` / `make bench QUICK=1`: sets up (idempotent), provides the load generator, runs every
# scenario (bench/run.mjs) and regenerates docs/benchmarks.{md,json}, docs/bench/*.svg and docs/sizing.md.
# Writes .run/test-results/bench.json for CI (passed = scenarios that ran; never fails on the figures).
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
setup_platform
FORTIO_LOAD=$(bash "$ROOT/scripts/setup-fortio.sh")
export FORTIO_LOAD QUICK="${QUICK:-}"
step "make bench${QUICK:+ QUICK=$QUICK}"
cd "$ROOT" || exit
status=0
node bench/run.mjs || status=$?
node bench/sizing.mjs || status=$?
exit "$status"

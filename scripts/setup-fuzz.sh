#!/usr/bin/env bash
# schemathesis (the OpenAPI fuzzer behind `make fuzz`) from PyPI, pinned, into a virtualenv of its own
# in the machine cache — not the Python service's venv (services/insights-service has its own). Keyed
# by tools/fuzz/requirements*.txt, so a version bump installs afresh and a second run takes < 1 s.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

step "schemathesis (fuzzing) in its own venv"
need python3 "Install Python ≥ 3.10 (Debian: apt-get install python3 python3-venv)."
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || die "schemathesis needs Python ≥ 3.10 (have $(python3 --version))"
recipe=$(cat "$ROOT"/tools/fuzz/requirements*.txt | sha256sum | cut -c1-12)
venv="$FUZZ_VENV_BASE-$recipe"
if [ -x "$venv/bin/st" ] && [ -f "$venv/.complete" ]; then
  info "schemathesis $("$venv/bin/st" --version | awk '{print $NF}'): $venv"
  exit 0
fi
# Debian splits venv (and its pip) into python3-venv; install it when the module cannot make one.
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  apt_install python3-venv python3-venv
fi
rm -rf "$venv"
python3 -m venv "$venv" || die "python3 -m venv failed"
# The lock pins every transitive package too (written by `pip freeze` when the pin was chosen).
constraints=()
[ -f "$ROOT/tools/fuzz/requirements.lock" ] && constraints=(-c "$ROOT/tools/fuzz/requirements.lock")
with_heartbeat "pip install schemathesis" "$CACHE_DIR/fuzz-pip.log" \
  "$venv/bin/pip" install --disable-pip-version-check -r "$ROOT/tools/fuzz/requirements.txt" "${constraints[@]}"
"$venv/bin/st" --version >/dev/null || die "schemathesis does not run from $venv"
touch "$venv/.complete"
# Older venvs of other recipes are left to `rm -rf ~/.cache/todo-platform/fuzz-venv-*`.
info "schemathesis $("$venv/bin/st" --version | awk '{print $NF}'): $venv"

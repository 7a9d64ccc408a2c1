#!/usr/bin/env bash
# npm run test:scale: the real engines scaled out on one PostgreSQL (test/scale/engines):
#   node-red-cluster  three Node-RED runtimes behind a round-robin proxy
#   n8n-queue         n8n 2.41.1 in queue mode: Redis, a main, a webhook process and two workers
# Installs n8n into the cache outside the clone (once, shared with npm run test:n8n), stages the built package,
# and runs the suite inside a network namespace with only loopback when one can be made.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
start=$(date +%s)

bash scripts/n8n/install-n8n.sh
export E2E_N8N_DIR="${INCIDENT_INTAKE_CACHE:-$HOME/.cache/incident-intake}/n8n-${N8N_VERSION:-2.41.1}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
export E2E_PACKAGE_DIR
E2E_PACKAGE_DIR="$(bash scripts/n8n/stage-package.sh "$stage" | tail -n 1)"
echo "scale suite: set-up took $(( $(date +%s) - start ))s"

run='npx vitest run --config test/scale/engines/vitest.config.mts "$@"'
if unshare --net true 2>/dev/null; then
  unshare --net bash -c "ip link set lo up && $run" bash "$@"
else
  echo "scale suite: no network namespace available; running with n8n's outbound features switched off"
  bash -c "$run" bash "$@"
fi
echo "scale suite: finished in $(( $(date +%s) - start ))s"

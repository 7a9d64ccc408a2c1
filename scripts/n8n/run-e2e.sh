#!/usr/bin/env bash
# The real-n8n end-to-end suite (npm run test:n8n): installs n8n into a cache outside the repository (once),
# stages the built package as n8n's Community Nodes installer would, then runs the suite inside a network
# namespace with only loopback, so nothing can leave 127.0.0.1.
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
echo "n8n e2e: set-up took $(( $(date +%s) - start ))s"

suite=(vitest run --config test/n8n/e2e/vitest.config.mts)
if unshare --net true 2>/dev/null; then
  unshare --net bash -c 'ip link set lo up && exec "$@"' _ "${suite[@]}"
else
  echo "n8n e2e: no network namespace available; running with n8n's outbound features switched off"
  "${suite[@]}"
fi
echo "n8n e2e: finished in $(( $(date +%s) - start ))s"

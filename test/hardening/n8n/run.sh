#!/usr/bin/env bash
# The bad-request catalogue against a real n8n. Reuses the n8n e2e suite's pieces: n8n installed once into a
# cache outside the repository, the built package staged as the Community Nodes installer would, and a
# loopback-only network namespace around the run. `npm run test:hardening:n8n` builds first and puts the
# project's Node 24 first on PATH.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$repo"

bash scripts/n8n/install-n8n.sh
export E2E_N8N_DIR="${INCIDENT_INTAKE_CACHE:-$HOME/.cache/incident-intake}/n8n-${N8N_VERSION:-2.41.1}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
export E2E_PACKAGE_DIR
E2E_PACKAGE_DIR="$(bash scripts/n8n/stage-package.sh "$stage" | tail -n 1)"

suite=(npx vitest run --config test/hardening/n8n/vitest.config.mts)
if unshare --net true 2>/dev/null; then
  unshare --net bash -c 'ip link set lo up && exec "$@"' _ "${suite[@]}"
else
  echo "hardening n8n: no network namespace available; n8n's outbound features are off in its environment"
  "${suite[@]}"
fi

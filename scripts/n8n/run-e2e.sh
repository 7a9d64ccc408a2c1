#!/usr/bin/env bash
# The real-n8n suites (npm run test:n8n): installs n8n into a cache outside the repository (once), stages the
# built package as n8n's Community Nodes installer would, then runs, inside a network namespace with only
# loopback (nothing can leave 127.0.0.1), both suites that use them, side by side, each with its own n8n:
#   e2e        test/n8n/e2e: the templates and a rendered MSP template, driven end to end
#   hardening  test/hardening/n8n: the bad-request catalogue against the Incident Intake Trigger
# N8N_SUITES="e2e" or "hardening" runs one of them (npm run test:hardening:n8n runs the catalogue alone).
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
echo "n8n suites: set-up took $(( $(date +%s) - start ))s"

export N8N_SUITES="${N8N_SUITES:-e2e hardening}" N8N_SUITE_LOGS="$stage"
if unshare --net true 2>/dev/null; then
  unshare --net bash -c 'ip link set lo up && exec bash scripts/n8n/run-suites.sh'
else
  echo "n8n suites: no network namespace available; running with n8n's outbound features switched off"
  bash scripts/n8n/run-suites.sh
fi
echo "n8n suites: finished in $(( $(date +%s) - start ))s"

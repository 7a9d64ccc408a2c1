#!/usr/bin/env bash
# Runs the n8n suites named in N8N_SUITES at the same time (each starts its own n8n on its own ports), then
# prints each suite's output in turn; fails if any suite failed. Called by run-e2e.sh, inside its namespace.
set -uo pipefail
declare -A config=([e2e]=test/n8n/e2e/vitest.config.mts [hardening]=test/hardening/n8n/vitest.config.mts)
declare -A pids
for suite in $N8N_SUITES; do
  [[ -n "${config[$suite]:-}" ]] || { echo "unknown n8n suite: $suite" >&2; exit 2; }
  started=$(date +%s)
  ( npx vitest run --config "${config[$suite]}"; status=$?; echo "n8n suite $suite: exit $status after $(( $(date +%s) - started ))s"; exit $status ) >"$N8N_SUITE_LOGS/$suite.log" 2>&1 &
  pids[$suite]=$!
done
failed=0
for suite in $N8N_SUITES; do
  wait "${pids[$suite]}" || failed=1
  echo "──── n8n suite: $suite ────"
  cat "$N8N_SUITE_LOGS/$suite.log"
done
exit $failed

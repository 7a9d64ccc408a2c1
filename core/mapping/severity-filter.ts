import type { Severity } from '../incident/canonical-incident';

/** Why a valid candidate is held back by the source's severity filter, or undefined when it passes. */
export function severityFilterReason(severity: Severity, filter: readonly Severity[] | undefined): string | undefined {
  if (!filter || filter.includes(severity)) return undefined;
  return `severity ${severity} is not in this source's severity filter (${filter.join(', ')})`;
}

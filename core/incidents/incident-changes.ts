import type { CanonicalIncident } from '../incident/canonical-incident';

/** Fields whose change makes a new event an update of its incident rather than a repeat. */
const TRACKED_FIELDS = ['title', 'description', 'severity', 'status', 'sourceUrl'] as const;

/** Names of the tracked fields that differ; empty when the new event only repeats what is known. */
export function changedFields(before: CanonicalIncident, after: CanonicalIncident): string[] {
  const changed: string[] = TRACKED_FIELDS.filter((field) => before[field] !== after[field]);
  if (JSON.stringify(before.affectedSystems) !== JSON.stringify(after.affectedSystems)) changed.push('affectedSystems');
  if (JSON.stringify(before.regulatoryRefs) !== JSON.stringify(after.regulatoryRefs)) changed.push('regulatoryRefs');
  return changed;
}

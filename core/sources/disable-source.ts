import type { Repositories } from '../store/store';

/** Disables a source and audits why. A no-op (returns false) when it is already disabled. */
export async function disableSource(
  repositories: Repositories,
  tenant: string,
  sourceId: string,
  reason: string,
  actor: string,
  now: number,
): Promise<boolean> {
  const changed = await repositories.sources.disable(tenant, sourceId, reason, now);
  if (!changed) return false;
  await repositories.sources.recordError(tenant, sourceId, `disabled: ${reason}`, now);
  await repositories.audit.append({ tenant, at: now, actor, action: 'source.disabled', subjectType: 'source', subjectId: sourceId, details: { reason } });
  return true;
}

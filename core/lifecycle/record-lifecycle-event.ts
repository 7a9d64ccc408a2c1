import type { IncidentRecord } from '../store/records';
import type { Repositories } from '../store/store';
import { lifecycleEventFrom, type LifecycleEvent, type NewLifecycleEvent } from './lifecycle-event';

/**
 * Writes a lifecycle event inside the unit of work that makes the change, so the change and its event commit
 * together (the outbox pattern): a restart neither loses nor repeats it. Returns the event, or undefined when
 * one with the same key was already written.
 */
export async function recordLifecycleEventIn(repositories: Repositories, input: NewLifecycleEvent, now: number): Promise<LifecycleEvent | undefined> {
  const { event, key } = lifecycleEventFrom(input, now);
  return (await repositories.lifecycleEvents.insert(event, key)) ? event : undefined;
}

/** `incident.acknowledged` when an update moved the incident's status to acknowledged (once per version). */
export async function recordAcknowledgedIfMoved(repositories: Repositories, before: IncidentRecord, after: IncidentRecord, actor: string, now: number): Promise<void> {
  if (before.status === 'acknowledged' || after.status !== 'acknowledged') return;
  await recordLifecycleEventIn(repositories, { kind: 'incident.acknowledged', incident: after, actor, details: { from: before.status, to: after.status }, key: `acknowledged:${after.id}:v${after.version}` }, now);
}

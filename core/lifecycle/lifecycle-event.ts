import { InvalidRequestError } from '../errors';
import { newId } from '../ids';
import type { IncidentRecord } from '../store/records';

/**
 * Lifecycle events: what happened to an incident beyond its own fields, for host flows to act on (Slack, a
 * pager). They go through their own outbox (see migration 011), not to incident.io or webhook destinations,
 * which keep receiving incident.created / updated / resolved.
 */
export const LIFECYCLE_EVENT_KINDS = [
  'incident.acknowledged',
  'incident.classified',
  'incident.owner_changed',
  'evidence.added',
  'report.submitted',
  'deadline.approaching',
  'deadline.missed',
] as const;

export type LifecycleEventKind = (typeof LIFECYCLE_EVENT_KINDS)[number];

export function isLifecycleEventKind(text: string): text is LifecycleEventKind {
  return (LIFECYCLE_EVENT_KINDS as readonly string[]).includes(text);
}

/** The incident as it was when the event happened: enough to write an alert without another lookup. */
export interface IncidentSummary {
  id: string;
  title: string;
  severity: IncidentRecord['severity'];
  status: IncidentRecord['status'];
  owner: string | null;
  version: number;
  becameAwareAt: number;
  doraMajor: boolean;
  nis2Significant: boolean;
}

export interface LifecycleEvent {
  /** Stable across redeliveries: a consumer that sees an id twice has seen the same event twice. */
  id: string;
  kind: LifecycleEventKind;
  tenant: string;
  incidentId: string;
  /** When it happened (epoch ms). */
  occurredAt: number;
  /** Who caused it; null for the deadline scanner. */
  actor: string | null;
  incident: IncidentSummary;
  /** What is particular to the kind, e.g. `{ from, to }` for an owner change or the deadline for an alert. */
  details: Record<string, unknown>;
}

export function incidentSummary(incident: IncidentRecord): IncidentSummary {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    owner: incident.owner,
    version: incident.version,
    becameAwareAt: incident.becameAwareAt,
    doraMajor: incident.doraMajor,
    nis2Significant: incident.nis2Significant,
  };
}

export interface NewLifecycleEvent {
  kind: LifecycleEventKind;
  incident: IncidentRecord;
  actor: string | null;
  details?: Record<string, unknown>;
  /** Unique per tenant: a second event with the same key is not written. Default: the event's own id. */
  key?: string;
}

export function lifecycleEventFrom(input: NewLifecycleEvent, now: number): { event: LifecycleEvent; key: string } {
  const id = newId('lce');
  const event: LifecycleEvent = {
    id,
    kind: input.kind,
    tenant: input.incident.tenant,
    incidentId: input.incident.id,
    occurredAt: now,
    actor: input.actor,
    incident: incidentSummary(input.incident),
    details: input.details ?? {},
  };
  return { event, key: input.key ?? id };
}

/** Reads a kind filter such as `deadline.approaching, deadline.missed` (or `deadline.*`); empty means every kind. */
export function parseKindFilter(text: string | undefined): LifecycleEventKind[] {
  const parts = (text ?? '').split(/[\s,]+/).filter(Boolean);
  const kinds = new Set<LifecycleEventKind>();
  for (const part of parts) {
    const matched = part.endsWith('.*') ? LIFECYCLE_EVENT_KINDS.filter((kind) => kind.startsWith(part.slice(0, -1))) : LIFECYCLE_EVENT_KINDS.filter((kind) => kind === part);
    if (matched.length === 0) throw new InvalidRequestError(`Kinds: "${part.slice(0, 40)}" is not one of ${LIFECYCLE_EVENT_KINDS.join(', ')}`);
    for (const kind of matched) kinds.add(kind);
  }
  return [...kinds];
}

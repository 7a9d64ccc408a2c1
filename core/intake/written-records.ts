import type { EventRecord, IncidentRecord } from '../store/records';
import type { IntakeOutcome } from './outcome';

export interface IncidentOutput {
  incident: IncidentRecord;
  change: 'created' | 'updated';
}

/** What a host routes to its three outputs after a stored request. */
export interface OutcomeDetails {
  review: EventRecord[];
  incidents: IncidentOutput[];
  quarantined: EventRecord[];
}

/** The records each answer's request wrote, kept by the intake with the answer it returns. */
const writtenBy = new WeakMap<IntakeOutcome, OutcomeDetails>();

/**
 * Keeps the events and incidents a stored request wrote, as written, with its answer, so a host routing them
 * to its outputs needs no second transaction to read them back (see outcomeDetails).
 */
export function noteWritten(outcome: IntakeOutcome, events: readonly EventRecord[], incidents: ReadonlyMap<string, IncidentRecord>): void {
  const changed: IncidentOutput[] = [];
  for (const change of outcome.incidents) {
    const incident = incidents.get(change.incidentId);
    if (!incident) return;
    changed.push({ incident, change: change.change });
  }
  writtenBy.set(outcome, {
    review: events.filter((event) => event.state === 'pending_review'),
    incidents: changed,
    quarantined: events.filter((event) => event.state === 'quarantined'),
  });
}

/** What {@link noteWritten} kept for this answer, if anything. */
export function writtenDetails(outcome: IntakeOutcome): OutcomeDetails | undefined {
  return writtenBy.get(outcome);
}

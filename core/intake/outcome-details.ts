import type { Store } from '../store/store';
import type { IntakeOutcome } from './outcome';
import { writtenDetails, type IncidentOutput, type OutcomeDetails } from './written-records';

export type { IncidentOutput, OutcomeDetails } from './written-records';

/**
 * The events and incidents a request produced, for hosts to route to Review / Incident / Quarantined: as the
 * intake wrote them when it kept them with the answer, else read back.
 */
export async function outcomeDetails(store: Store, tenant: string, outcome: IntakeOutcome): Promise<OutcomeDetails> {
  if (!outcome.stored || outcome.code === 'duplicate' || !outcome.receiptId) return { review: [], incidents: [], quarantined: [] };
  const written = writtenDetails(outcome);
  if (written) return written;
  return store.transaction(async (r) => {
    const events = await r.events.listByReceipt(outcome.receiptId!);
    const incidents: IncidentOutput[] = [];
    for (const change of outcome.incidents) {
      const incident = await r.incidents.get(tenant, change.incidentId);
      if (incident) incidents.push({ incident, change: change.change });
    }
    return {
      review: events.filter((event) => event.state === 'pending_review'),
      incidents,
      quarantined: events.filter((event) => event.state === 'quarantined'),
    };
  });
}

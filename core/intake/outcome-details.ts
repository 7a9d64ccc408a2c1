import type { EventRecord, IncidentRecord } from '../store/records';
import type { Store } from '../store/store';
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

/** Reads back the events and incidents a request produced, for hosts to route to Review / Incident / Quarantined. */
export async function outcomeDetails(store: Store, tenant: string, outcome: IntakeOutcome): Promise<OutcomeDetails> {
  if (!outcome.stored || outcome.code === 'duplicate' || !outcome.receiptId) return { review: [], incidents: [], quarantined: [] };
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

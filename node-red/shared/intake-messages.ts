import type { IntakeOutcome } from '../../core/intake/outcome';
import type { OutcomeDetails } from '../../core/intake/outcome-details';
import type { SourceConfig } from '../../core/intake/source-config';
import type { NodeMessage } from './node-red-types';

/** One message per item, on the output it belongs to: [review, incident, quarantined]. */
export function intakeMessages(source: SourceConfig, outcome: IntakeOutcome, details: OutcomeDetails): NodeMessage[][] {
  const common = { tenant: source.tenant, sourceId: source.id, receiptId: outcome.receiptId, outcome: outcome.code };
  return [
    details.review.map((event) => ({ ...common, topic: 'review', eventId: event.id, payload: event })),
    details.incidents.map(({ incident, change }) => ({ ...common, topic: `incident.${change}`, incidentId: incident.id, change, version: incident.version, payload: incident })),
    details.quarantined.map((event) => ({ ...common, topic: 'quarantined', eventId: event.id, payload: event })),
  ] as NodeMessage[][];
}

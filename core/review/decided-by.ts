import type { EventRecord } from '../store/records';

/** Who decided an event and why, for the reviewer who lost the race: ` (promoted by alice at …: "duplicate")`. */
export function decidedBy(event: EventRecord): string {
  if (!event.decidedBy) return '';
  const at = event.decidedAt === null ? '' : ` at ${new Date(event.decidedAt).toISOString()}`;
  const reason = event.decisionReason ? `: ${JSON.stringify(event.decisionReason.slice(0, 200))}` : '';
  return ` (${event.state} by ${event.decidedBy}${at}${reason})`;
}

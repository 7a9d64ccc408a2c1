import { InvalidRequestError } from '../errors';
import type { Deadline, RegulatoryDeadlines } from '../regulatory/deadlines';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** How long before a deadline `deadline.approaching` is emitted, when a host sets nothing: 2 h and 30 min. */
export const DEFAULT_ALERT_LEADS_MS: readonly number[] = [2 * UNIT_MS.h!, 30 * UNIT_MS.m!];

/** Reads leads such as `2h, 30m` (units s, m, h, d; combined like `1h30m`); empty text gives the default. */
export function parseAlertLeads(text: string | undefined): number[] {
  const parts = (text ?? '').split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return [...DEFAULT_ALERT_LEADS_MS];
  const leads = parts.map((part) => {
    const pieces = [...part.matchAll(/(\d+)([smhd])/g)];
    if (pieces.length === 0 || pieces.map((piece) => piece[0]).join('') !== part) throw new InvalidRequestError(`Alert leads: "${part.slice(0, 20)}" is not a duration like 2h, 30m or 1h30m`);
    const ms = pieces.reduce((sum, piece) => sum + Number(piece[1]) * UNIT_MS[piece[2]!]!, 0);
    if (ms <= 0) throw new InvalidRequestError(`Alert leads: "${part.slice(0, 20)}" must be longer than zero`);
    return ms;
  });
  return [...new Set(leads)].sort((a, b) => b - a);
}

/** `2h30m`-style text of a lead, as alerts carry it. */
export function leadText(ms: number): string {
  let rest = ms;
  let text = '';
  for (const [unit, size] of [['d', UNIT_MS.d!], ['h', UNIT_MS.h!], ['m', UNIT_MS.m!], ['s', UNIT_MS.s!]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text || '0s';
}

export interface DueAlert {
  kind: 'deadline.approaching' | 'deadline.missed';
  regime: 'dora' | 'nis2';
  deadline: Deadline;
  /** The lead that is due (approaching only). */
  leadMs?: number;
  /** Unique per incident, deadline (report and due time) and lead: the alert is written once under it. */
  key: string;
}

/**
 * The alerts an incident's deadlines call for at `now`: for each open deadline whose due time is known (not
 * provisional), `deadline.approaching` for the shortest lead whose window it is in (a scan that comes late
 * skips the longer leads rather than sending them all at once), and `deadline.missed` once it is past. A deadline that moves (a new intermediate report moves the final) is a new deadline with its own alerts.
 * An alert whose time came while no scanner ran still comes at the next scan, while it still applies.
 */
export function dueAlerts(incidentId: string, deadlines: RegulatoryDeadlines, leadsMs: readonly number[], now: number): DueAlert[] {
  const alerts: DueAlert[] = [];
  for (const regime of ['dora', 'nis2'] as const) {
    for (const deadline of deadlines[regime]) {
      if (deadline.submittedAt !== undefined || deadline.provisional) continue;
      const due = Date.parse(deadline.due);
      const base = `${incidentId}:${deadline.report}:${deadline.due}`;
      if (now >= due) {
        alerts.push({ kind: 'deadline.missed', regime, deadline, key: `deadline.missed:${base}` });
        continue;
      }
      const leadMs = Math.min(...leadsMs.filter((lead) => now >= due - lead));
      if (Number.isFinite(leadMs)) alerts.push({ kind: 'deadline.approaching', regime, deadline, leadMs, key: `deadline.approaching:${base}:${leadMs}` });
    }
  }
  return alerts;
}

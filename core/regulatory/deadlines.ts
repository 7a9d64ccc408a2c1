import type { RegulatoryMilestones } from '../store/records';
import { addOneMonth, HOUR_MS, toNextWorkingDayNoon } from './calendar';

/** The times a regulator's clock runs from (epoch ms): classification, awareness and the reports submitted. */
export interface RegulatoryTimes extends RegulatoryMilestones {
  becameAwareAt: number;
  doraMajor: boolean;
  doraClassifiedAt: number | null;
  nis2Significant: boolean;
}

/**
 * Financial entities DORA names for its weekend relief: credit institutions, central counterparties, trading
 * venues and entities that are essential or important under NIS2 may not use it for the initial notification
 * and the intermediate report (they may for the final report); `other` entities may use it for all three.
 */
export const DORA_ENTITY_KINDS = ['credit-institution', 'central-counterparty', 'trading-venue', 'nis2-entity', 'other'] as const;
export type DoraEntityKind = (typeof DORA_ENTITY_KINDS)[number];

export interface DeadlineOptions {
  /** NIS2 trust service providers notify within 24 h instead of 72 h. */
  trustServiceProvider?: boolean;
  /**
   * The entity uses DORA's relief: a deadline on a weekend or holiday moves to noon UTC of the next working
   * day — for the reports its {@link doraEntity} kind may move.
   */
  doraWeekendRelief?: boolean;
  /** What kind of financial entity reports (default `other`). */
  doraEntity?: DoraEntityKind;
  holidays?: readonly string[];
}

export interface Deadline {
  report: string;
  due: string;
  /** Due time depends on a report not yet submitted; it is computed from that report's own due time. */
  provisional: boolean;
  basis: string;
  /** When the report was submitted, once it has been. */
  submittedAt?: string;
}

export interface RegulatoryDeadlines {
  dora: Deadline[];
  nis2: Deadline[];
}

const iso = (at: number) => new Date(at).toISOString();
const submitted = (at: number | undefined) => (at === undefined ? {} : { submittedAt: iso(at) });

function doraRelief(options: DeadlineOptions) {
  const move = (at: number) => toNextWorkingDayNoon(at, options.holidays ?? []);
  const early = options.doraWeekendRelief && (options.doraEntity ?? 'other') === 'other';
  return { early: (at: number) => (early ? move(at) : at), final: (at: number) => (options.doraWeekendRelief ? move(at) : at) };
}

/**
 * DORA (Delegated Reg. 2025/301 Art. 5): initial ≤ 4 h after classification and ≤ 24 h after awareness;
 * intermediate ≤ 72 h after the initial; final ≤ 1 month after the latest intermediate. None once the
 * notification was withdrawn or the incident reclassified as not major.
 */
export function doraDeadlines(times: RegulatoryTimes, options: DeadlineOptions = {}): Deadline[] {
  if (!times.doraMajor || times.doraClassifiedAt === null || times.doraEndedAt !== undefined) return [];
  const relief = doraRelief(options);
  const initialDue = relief.early(Math.min(times.doraClassifiedAt + 4 * HOUR_MS, times.becameAwareAt + 24 * HOUR_MS));
  const initialBasis = times.doraInitialSubmittedAt ?? initialDue;
  const intermediateDue = relief.early(initialBasis + 72 * HOUR_MS);
  const intermediateBasis = times.doraIntermediateSubmittedAt ?? intermediateDue;
  return [
    { report: 'dora.initial', due: iso(initialDue), provisional: false, basis: 'earlier of classification + 4 h and awareness + 24 h', ...submitted(times.doraInitialSubmittedAt) },
    { report: 'dora.intermediate', due: iso(intermediateDue), provisional: times.doraInitialSubmittedAt === undefined, basis: 'initial notification + 72 h', ...submitted(times.doraIntermediateSubmittedAt) },
    {
      report: 'dora.final',
      due: iso(relief.final(addOneMonth(intermediateBasis))),
      provisional: times.doraIntermediateSubmittedAt === undefined,
      basis: 'latest intermediate report + 1 month',
      ...submitted(times.doraFinalSubmittedAt),
    },
  ];
}

/** NIS2 (Directive 2022/2555 Art. 23): early warning ≤ 24 h, notification ≤ 72 h (24 h for trust services), final ≤ 1 month after the notification. */
export function nis2Deadlines(times: RegulatoryTimes, options: DeadlineOptions = {}): Deadline[] {
  if (!times.nis2Significant) return [];
  const notificationDue = times.becameAwareAt + (options.trustServiceProvider ? 24 : 72) * HOUR_MS;
  const notificationBasis = times.nis2NotificationSubmittedAt ?? notificationDue;
  return [
    { report: 'nis2.early_warning', due: iso(times.becameAwareAt + 24 * HOUR_MS), provisional: false, basis: 'awareness + 24 h', ...submitted(times.nis2EarlyWarningSubmittedAt) },
    {
      report: 'nis2.notification',
      due: iso(notificationDue),
      provisional: false,
      basis: `awareness + ${options.trustServiceProvider ? 24 : 72} h`,
      ...submitted(times.nis2NotificationSubmittedAt),
    },
    {
      report: 'nis2.final',
      due: iso(addOneMonth(notificationBasis)),
      provisional: times.nis2NotificationSubmittedAt === undefined,
      basis: 'incident notification + 1 month',
      ...submitted(times.nis2FinalSubmittedAt),
    },
  ];
}

export function regulatoryDeadlines(times: RegulatoryTimes, options: DeadlineOptions = {}): RegulatoryDeadlines {
  return { dora: doraDeadlines(times, options), nis2: nis2Deadlines(times, options) };
}

/** The earliest deadline whose report is not submitted yet, if any. */
export function nextDeadline(deadlines: RegulatoryDeadlines): Deadline | undefined {
  return [...deadlines.dora, ...deadlines.nis2].filter((deadline) => deadline.submittedAt === undefined).sort((a, b) => a.due.localeCompare(b.due))[0];
}

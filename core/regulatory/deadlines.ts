import { addOneMonth, HOUR_MS, toNextWorkingDayNoon } from './calendar';

/** The times a regulator's clock runs from (epoch ms). */
export interface RegulatoryTimes {
  becameAwareAt: number;
  doraMajor: boolean;
  doraClassifiedAt: number | null;
  nis2Significant: boolean;
  doraInitialSubmittedAt?: number;
  doraIntermediateSubmittedAt?: number;
  nis2NotificationSubmittedAt?: number;
}

export interface DeadlineOptions {
  /** NIS2 trust service providers notify within 24 h instead of 72 h. */
  trustServiceProvider?: boolean;
  /**
   * DORA lets some entities (not credit institutions, CCPs, trading venues or NIS2 entities for the initial
   * and intermediate reports) move a deadline on a weekend or holiday to noon of the next working day.
   */
  doraWeekendRelief?: boolean;
  holidays?: readonly string[];
}

export interface Deadline {
  report: string;
  due: string;
  /** Due time depends on a report not yet submitted; it is computed from that report's own due time. */
  provisional: boolean;
  basis: string;
}

export interface RegulatoryDeadlines {
  dora: Deadline[];
  nis2: Deadline[];
}

const iso = (at: number) => new Date(at).toISOString();

/** DORA (Delegated Reg. 2025/301 Art. 5): initial ≤ 4 h after classification and ≤ 24 h after awareness; intermediate ≤ 72 h after the initial; final ≤ 1 month after the latest intermediate. */
export function doraDeadlines(times: RegulatoryTimes, options: DeadlineOptions = {}): Deadline[] {
  if (!times.doraMajor || times.doraClassifiedAt === null) return [];
  const relief = (at: number) => (options.doraWeekendRelief ? toNextWorkingDayNoon(at, options.holidays ?? []) : at);
  const initialDue = relief(Math.min(times.doraClassifiedAt + 4 * HOUR_MS, times.becameAwareAt + 24 * HOUR_MS));
  const initialBasis = times.doraInitialSubmittedAt ?? initialDue;
  const intermediateDue = relief(initialBasis + 72 * HOUR_MS);
  const intermediateBasis = times.doraIntermediateSubmittedAt ?? intermediateDue;
  return [
    { report: 'dora.initial', due: iso(initialDue), provisional: false, basis: 'earlier of classification + 4 h and awareness + 24 h' },
    { report: 'dora.intermediate', due: iso(intermediateDue), provisional: times.doraInitialSubmittedAt === undefined, basis: 'initial notification + 72 h' },
    { report: 'dora.final', due: iso(addOneMonth(intermediateBasis)), provisional: times.doraIntermediateSubmittedAt === undefined, basis: 'latest intermediate report + 1 month' },
  ];
}

/** NIS2 (Directive 2022/2555 Art. 23): early warning ≤ 24 h, notification ≤ 72 h (24 h for trust services), final ≤ 1 month after the notification. */
export function nis2Deadlines(times: RegulatoryTimes, options: DeadlineOptions = {}): Deadline[] {
  if (!times.nis2Significant) return [];
  const notificationDue = times.becameAwareAt + (options.trustServiceProvider ? 24 : 72) * HOUR_MS;
  const notificationBasis = times.nis2NotificationSubmittedAt ?? notificationDue;
  return [
    { report: 'nis2.early_warning', due: iso(times.becameAwareAt + 24 * HOUR_MS), provisional: false, basis: 'awareness + 24 h' },
    { report: 'nis2.notification', due: iso(notificationDue), provisional: false, basis: `awareness + ${options.trustServiceProvider ? 24 : 72} h` },
    { report: 'nis2.final', due: iso(addOneMonth(notificationBasis)), provisional: times.nis2NotificationSubmittedAt === undefined, basis: 'incident notification + 1 month' },
  ];
}

export function regulatoryDeadlines(times: RegulatoryTimes, options: DeadlineOptions = {}): RegulatoryDeadlines {
  return { dora: doraDeadlines(times, options), nis2: nis2Deadlines(times, options) };
}

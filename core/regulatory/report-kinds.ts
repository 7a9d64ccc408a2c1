import type { RegulatoryMilestones } from '../store/records';

/**
 * Every report kind DORA (Delegated Reg. 2025/301) and NIS2 (Directive 2022/2555 Art. 23) know. A DORA
 * `reclassified` report says the incident no longer meets the major criteria and a `withdrawn` one that the
 * notification was made in error: either ends the DORA reporting. NIS2's intermediate report is sent when the
 * authority asks for one.
 */
export const REPORT_KINDS = [
  'dora.initial',
  'dora.intermediate',
  'dora.final',
  'dora.reclassified',
  'dora.withdrawn',
  'nis2.early_warning',
  'nis2.notification',
  'nis2.intermediate',
  'nis2.final',
] as const;

export type ReportKind = (typeof REPORT_KINDS)[number];

export function isReportKind(text: string): text is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(text);
}

export interface ReportRule {
  regime: 'dora' | 'nis2';
  /** Reports that must have been submitted before this one (any one of them). */
  after: readonly ReportKind[];
  /** At most one report of this kind per incident. */
  once: boolean;
  /** The milestone this report sets (the latest one for repeatable kinds). */
  milestone: keyof RegulatoryMilestones;
}

export const REPORT_RULES: Record<ReportKind, ReportRule> = {
  'dora.initial': { regime: 'dora', after: [], once: true, milestone: 'doraInitialSubmittedAt' },
  'dora.intermediate': { regime: 'dora', after: ['dora.initial'], once: false, milestone: 'doraIntermediateSubmittedAt' },
  'dora.final': { regime: 'dora', after: ['dora.intermediate'], once: true, milestone: 'doraFinalSubmittedAt' },
  'dora.reclassified': { regime: 'dora', after: ['dora.initial'], once: true, milestone: 'doraEndedAt' },
  'dora.withdrawn': { regime: 'dora', after: ['dora.initial'], once: true, milestone: 'doraEndedAt' },
  'nis2.early_warning': { regime: 'nis2', after: [], once: true, milestone: 'nis2EarlyWarningSubmittedAt' },
  'nis2.notification': { regime: 'nis2', after: [], once: true, milestone: 'nis2NotificationSubmittedAt' },
  'nis2.intermediate': { regime: 'nis2', after: ['nis2.notification'], once: false, milestone: 'nis2IntermediateSubmittedAt' },
  'nis2.final': { regime: 'nis2', after: ['nis2.notification'], once: true, milestone: 'nis2FinalSubmittedAt' },
};

/** The report kind the older milestone names of `recordSubmission` stand for. */
export const MILESTONE_REPORT_KINDS: Partial<Record<keyof RegulatoryMilestones, ReportKind>> = {
  doraInitialSubmittedAt: 'dora.initial',
  doraIntermediateSubmittedAt: 'dora.intermediate',
  doraFinalSubmittedAt: 'dora.final',
  nis2EarlyWarningSubmittedAt: 'nis2.early_warning',
  nis2NotificationSubmittedAt: 'nis2.notification',
  nis2FinalSubmittedAt: 'nis2.final',
};

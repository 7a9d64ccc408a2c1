import { addEvidence, classifyIncident, setOwner } from '../../../core/incidents/incident-updates';
import { deadlinesOf, getIncident, listIncidents } from '../../../core/incidents/incident-queries';
import { DORA_ENTITY_KINDS, type DeadlineOptions, type DoraEntityKind } from '../../../core/regulatory/deadlines';
import { deadlineOptionsFrom, type DeadlineSettings } from '../../../core/regulatory/deadline-settings';
import { listReports, recordReport } from '../../../core/regulatory/record-report';
import { MILESTONE_REPORT_KINDS, REPORT_KINDS } from '../../../core/regulatory/report-kinds';
import type { RegulatoryMilestones } from '../../../core/store/records';
import { actorField, flag, number, shownFor, text, time, type OperationContext, type Resource } from './operation';

const withId = ['get', 'setOwner', 'addEvidence', 'classify', 'getDeadlines', 'recordSubmission', 'listReports'];
const withDeadlines = ['get', 'classify', 'getDeadlines', 'recordSubmission'];

/** The tenant's reporting obligations, as the node's Deadline Options give them. */
function deadlineOptions(c: OperationContext): DeadlineOptions {
  return deadlineOptionsFrom(c.fn.getNodeParameter('deadlineOptions', c.item, {}) as DeadlineSettings);
}
const writes = ['setOwner', 'addEvidence', 'classify', 'recordSubmission'];

async function list(c: OperationContext) {
  const view = text(c, 'view', 'active') as 'active' | 'recent';
  const since = Date.now() - number(c, 'sinceHours', 24) * 3_600_000;
  return listIncidents(c.store, c.tenant, view === 'active' ? { view, limit: number(c, 'limit', 50) } : { view, since, limit: number(c, 'limit', 50) });
}

async function classify(c: OperationContext) {
  const incident = await classifyIncident(
    c.store,
    c.tenant,
    text(c, 'incidentId'),
    { doraMajor: flag(c, 'doraMajor'), nis2Significant: flag(c, 'nis2Significant'), classifiedAt: time(c, 'classifiedAt'), becameAwareAt: time(c, 'becameAwareAt') },
    text(c, 'actor'),
  );
  return { ...incident, deadlines: deadlinesOf(incident, deadlineOptions(c)) };
}

async function deadlines(c: OperationContext) {
  const detail = await getIncident(c.store, c.tenant, text(c, 'incidentId'), deadlineOptions(c));
  return { incidentId: detail.incident.id, ...detail.deadlines };
}

async function submission(c: OperationContext) {
  const chosen = text(c, 'report');
  // workflows saved before every report kind existed name the report by its milestone
  const kind = MILESTONE_REPORT_KINDS[chosen as keyof RegulatoryMilestones] ?? chosen;
  const evidenceIds = text(c, 'evidenceIds').split(/[\s,]+/).filter(Boolean);
  const input = { kind, submittedAt: time(c, 'submittedAt'), reference: text(c, 'reference') || undefined, evidenceIds, note: text(c, 'reportNote') || undefined };
  const { report, incident } = await recordReport(c.store, c.tenant, text(c, 'incidentId'), input, text(c, 'actor'));
  return { report, ...incident, deadlines: deadlinesOf(incident, deadlineOptions(c)) };
}

const REPORT_NAMES: Record<(typeof REPORT_KINDS)[number], string> = {
  'dora.initial': 'DORA Initial Notification',
  'dora.intermediate': 'DORA Intermediate Report',
  'dora.final': 'DORA Final Report',
  'dora.reclassified': 'DORA Reclassified (Not Major)',
  'dora.withdrawn': 'DORA Notification Withdrawn',
  'nis2.early_warning': 'NIS2 Early Warning',
  'nis2.notification': 'NIS2 Incident Notification',
  'nis2.intermediate': 'NIS2 Intermediate Report (On Request)',
  'nis2.final': 'NIS2 Final Report',
};

export const DORA_ENTITY_NAMES: Record<DoraEntityKind, string> = {
  'credit-institution': 'Credit Institution',
  'central-counterparty': 'Central Counterparty',
  'trading-venue': 'Trading Venue',
  'nis2-entity': 'NIS2 Essential or Important Entity',
  other: 'Other Financial Entity',
};

export const incidentResource: Resource = {
  operations: {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['incident'] } },
    options: [
      { name: 'Add Evidence', value: 'addEvidence', action: 'Add evidence to an incident' },
      { name: 'Classify', value: 'classify', action: 'Classify an incident', description: 'Mark as DORA major and/or NIS2 significant; starts the reporting clocks' },
      { name: 'Get', value: 'get', action: 'Get an incident', description: 'With provenance, evidence, audit trail and deadlines' },
      { name: 'Get Deadlines', value: 'getDeadlines', action: 'Get the regulatory deadlines of an incident' },
      { name: 'List', value: 'list', action: 'List incidents' },
      { name: 'List Reports', value: 'listReports', action: 'List the regulatory reports of an incident' },
      { name: 'Record Report Submission', value: 'recordSubmission', action: 'Record a regulatory report submission', description: 'Starts the next report clock' },
      { name: 'Set Owner', value: 'setOwner', action: 'Set the owner of an incident' },
    ],
    default: 'get',
  },
  fields: [
    {
      displayName: 'Incident ID',
      name: 'incidentId',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'inc_…',
      displayOptions: shownFor('incident', withId),
    },
    actorField('incident', writes),
    {
      displayName: 'View',
      name: 'view',
      type: 'options',
      options: [
        { name: 'Active', value: 'active', description: 'Not resolved' },
        { name: 'Recent', value: 'recent', description: 'Updated in the last hours' },
      ],
      default: 'active',
      displayOptions: shownFor('incident', ['list']),
    },
    {
      displayName: 'Since (Hours)',
      name: 'sinceHours',
      type: 'number',
      default: 24,
      displayOptions: { show: { resource: ['incident'], operation: ['list'], view: ['recent'] } },
    },
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 50,
      description: 'Max number of results to return',
      displayOptions: shownFor('incident', ['list']),
    },
    { displayName: 'Owner', name: 'owner', type: 'string', default: '', description: 'Empty clears the owner', displayOptions: shownFor('incident', ['setOwner']) },
    {
      displayName: 'Evidence Kind',
      name: 'evidenceKind',
      type: 'options',
      options: [
        { name: 'Link', value: 'link' },
        { name: 'Note', value: 'note' },
      ],
      default: 'link',
      displayOptions: shownFor('incident', ['addEvidence']),
    },
    { displayName: 'Value', name: 'evidenceValue', type: 'string', default: '', required: true, description: 'The URL or the note text', displayOptions: shownFor('incident', ['addEvidence']) },
    { displayName: 'Note', name: 'evidenceNote', type: 'string', default: '', displayOptions: shownFor('incident', ['addEvidence']) },
    { displayName: 'DORA Major', name: 'doraMajor', type: 'boolean', default: false, description: 'Whether the incident is a major ICT-related incident under DORA', displayOptions: shownFor('incident', ['classify']) },
    { displayName: 'NIS2 Significant', name: 'nis2Significant', type: 'boolean', default: false, description: 'Whether the incident is significant under NIS2 (Article 23)', displayOptions: shownFor('incident', ['classify']) },
    { displayName: 'Classified At', name: 'classifiedAt', type: 'dateTime', default: '', description: 'Empty: now', displayOptions: shownFor('incident', ['classify']) },
    { displayName: 'Became Aware At', name: 'becameAwareAt', type: 'dateTime', default: '', description: 'Corrects when the organisation became aware, if earlier than the first event', displayOptions: shownFor('incident', ['classify']) },
    {
      displayName: 'Report',
      name: 'report',
      type: 'options',
      options: REPORT_KINDS.map((kind) => ({ name: REPORT_NAMES[kind], value: kind })),
      default: 'dora.initial',
      description: 'Each kind is checked: the incident must be classified for its regime, and a report cannot precede the one it follows',
      displayOptions: shownFor('incident', ['recordSubmission']),
    },
    { displayName: 'Submitted At', name: 'submittedAt', type: 'dateTime', default: '', description: 'Empty: now', displayOptions: shownFor('incident', ['recordSubmission']) },
    { displayName: 'Authority Reference', name: 'reference', type: 'string', default: '', description: "The authority's reference for the submission, if it gave one", displayOptions: shownFor('incident', ['recordSubmission']) },
    { displayName: 'Evidence IDs', name: 'evidenceIds', type: 'string', default: '', description: 'Evidence of this incident that went with the report (IDs from Add Evidence), comma-separated', displayOptions: shownFor('incident', ['recordSubmission']) },
    { displayName: 'Note', name: 'reportNote', type: 'string', default: '', displayOptions: shownFor('incident', ['recordSubmission']) },
    {
      displayName: 'Deadline Options',
      name: 'deadlineOptions',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      description: "The tenant's reporting obligations, used to compute the deadlines",
      displayOptions: shownFor('incident', withDeadlines),
      options: [
        { displayName: 'DORA Entity', name: 'doraEntity', type: 'options', default: 'other', options: DORA_ENTITY_KINDS.map((kind) => ({ name: DORA_ENTITY_NAMES[kind], value: kind })), description: 'Credit institutions, CCPs, trading venues and NIS2 entities may not move the initial and intermediate deadlines' },
        { displayName: 'DORA Weekend Relief', name: 'doraWeekendRelief', type: 'boolean', default: false, description: 'Whether a DORA deadline on a weekend or holiday moves to noon UTC of the next working day (for the reports the entity may move)' },
        { displayName: 'Holidays', name: 'holidays', type: 'string', default: '', placeholder: '2026-12-25, 2026-12-26', description: 'Public holidays (YYYY-MM-DD) for the weekend relief' },
        { displayName: 'NIS2 Trust Service Provider', name: 'trustServiceProvider', type: 'boolean', default: false, description: 'Whether the NIS2 incident notification is due within 24 h instead of 72 h' },
      ],
    },
  ],
  run: {
    get: (c) => getIncident(c.store, c.tenant, text(c, 'incidentId'), deadlineOptions(c)),
    list,
    setOwner: (c) => setOwner(c.store, c.tenant, text(c, 'incidentId'), text(c, 'owner') || null, text(c, 'actor')),
    addEvidence: (c) =>
      addEvidence(c.store, c.tenant, text(c, 'incidentId'), { kind: text(c, 'evidenceKind') as 'link' | 'note', value: text(c, 'evidenceValue'), ...(text(c, 'evidenceNote') && { note: text(c, 'evidenceNote') }) }, text(c, 'actor')),
    classify,
    getDeadlines: deadlines,
    recordSubmission: submission,
    listReports: (c) => listReports(c.store, c.tenant, text(c, 'incidentId')),
  },
};

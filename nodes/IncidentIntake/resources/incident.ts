import { addEvidence, classifyIncident, recordSubmission, setOwner } from '../../../core/incidents/incident-updates';
import { deadlinesOf, getIncident, listIncidents } from '../../../core/incidents/incident-queries';
import type { RegulatoryMilestones } from '../../../core/store/records';
import { actorField, flag, number, shownFor, text, time, type OperationContext, type Resource } from './operation';

const withId = ['get', 'setOwner', 'addEvidence', 'classify', 'getDeadlines', 'recordSubmission'];
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
  return { ...incident, deadlines: deadlinesOf(incident) };
}

async function deadlines(c: OperationContext) {
  const detail = await getIncident(c.store, c.tenant, text(c, 'incidentId'));
  return { incidentId: detail.incident.id, ...detail.deadlines };
}

async function submission(c: OperationContext) {
  const report = text(c, 'report') as keyof RegulatoryMilestones;
  const incident = await recordSubmission(c.store, c.tenant, text(c, 'incidentId'), report, time(c, 'submittedAt') ?? Date.now(), text(c, 'actor'));
  return { ...incident, deadlines: deadlinesOf(incident) };
}

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
      options: [
        { name: 'DORA Initial Notification', value: 'doraInitialSubmittedAt' },
        { name: 'DORA Intermediate Report', value: 'doraIntermediateSubmittedAt' },
        { name: 'NIS2 Incident Notification', value: 'nis2NotificationSubmittedAt' },
      ],
      default: 'doraInitialSubmittedAt',
      displayOptions: shownFor('incident', ['recordSubmission']),
    },
    { displayName: 'Submitted At', name: 'submittedAt', type: 'dateTime', default: '', description: 'Empty: now', displayOptions: shownFor('incident', ['recordSubmission']) },
  ],
  run: {
    get: (c) => getIncident(c.store, c.tenant, text(c, 'incidentId')),
    list,
    setOwner: (c) => setOwner(c.store, c.tenant, text(c, 'incidentId'), text(c, 'owner') || null, text(c, 'actor')),
    addEvidence: (c) =>
      addEvidence(c.store, c.tenant, text(c, 'incidentId'), { kind: text(c, 'evidenceKind') as 'link' | 'note', value: text(c, 'evidenceValue'), ...(text(c, 'evidenceNote') && { note: text(c, 'evidenceNote') }) }, text(c, 'actor')),
    classify,
    getDeadlines: deadlines,
    recordSubmission: submission,
  },
};

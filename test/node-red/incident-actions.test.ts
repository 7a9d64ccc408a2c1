import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import intakeSourceNode from '../../node-red/intake-source';
import incidentIntakeNode from '../../node-red/incident-intake';
import incidentReviewNode from '../../node-red/incident-review';
import { helperHttpServer } from '../support/helper-http-server';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';

// The incident review node's incident and audit actions, in a real Node-RED runtime (node-red-node-test-helper).
helper.init(require.resolve('node-red'));

const http = helperHttpServer();
const { captureHttpNode } = http;
const nodes = [captureHttpNode, intakeStoreNode, intakeSourceNode, incidentIntakeNode, incidentReviewNode];
const secret = generateStandardWebhookSecret();

afterEach(async () => helper.unload());

const flow = [
  { id: 'store', type: 'intake-store', sqlitePath: ':memory:' },
  { id: 'src', type: 'intake-source', tenant: 'acme', sourceId: 'web', provider: 'generic', mode: 'auto-create', scheme: 'standard-webhooks' },
  { id: 'intake', type: 'incident-intake', source: 'src', store: 'store', wires: [[], ['incident-out'], []] },
  { id: 'incident-out', type: 'helper' },
  {
    id: 'ops',
    type: 'incident-review',
    source: 'src',
    store: 'store',
    action: 'incident-get',
    eventId: 'eventId',
    eventIdType: 'msg',
    actor: 'actor',
    actorType: 'msg',
    reason: 'reason',
    reasonType: 'msg',
    trustServiceProvider: true,
    doraWeekendRelief: true,
    doraEntity: 'credit-institution',
    holidays: '',
    wires: [['out']],
  },
  { id: 'out', type: 'helper' },
];

async function createIncident(): Promise<string> {
  const created = new Promise<any>((resolve) => helper.getNode('incident-out').once('input', resolve));
  const raw = Buffer.from(JSON.stringify({ id: 'E-1', title: 'Payments down', detectedAt: new Date(Date.now() - 3_600_000).toISOString(), severity: 'critical', status: 'open' }));
  const response = await request(`${http.url()}/intake/web`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id: 'm-1' }) } });
  expect(response.statusCode).toBe(202);
  await response.body.dump();
  return (await created).payload.id;
}

/** Sends one message to the node and resolves with its output, or rejects with the error a Catch node would get. */
let pending = new Map<string, { resolve: (message: any) => void; reject: (error: unknown) => void }>();
let sent = 0;
function listen(): void {
  pending = new Map();
  helper.getNode('out').on('input', (message: { ref?: string }) => pending.get(message.ref ?? '')?.resolve(message));
  helper.getNode('ops').on('call:error', (call: { args: [unknown, { ref?: string }?] }) => pending.get(call.args[1]?.ref ?? '')?.reject(call.args[0]));
}
function act(msg: Record<string, unknown>): Promise<any> {
  const ref = `r${++sent}`;
  return new Promise((resolve, reject) => {
    pending.set(ref, { resolve, reject });
    helper.getNode('ops').receive({ ...msg, ref } as never);
  });
}

describe('incident review node: incident and audit actions', () => {
  it('carries an incident through owner, evidence, classification and reports, with deadlines from its settings', async () => {
    await helper.load(nodes as never, flow, { src: { secret } });
    const incidentId = await createIncident();
    listen();

    const owned = await act({ action: 'incident-owner', incidentId, owner: 'carol', actor: 'ops-lead' });
    expect(owned).toMatchObject({ topic: 'incident.owner_changed', payload: { owner: 'carol' } });
    const evidence = await act({ action: 'incident-evidence', incidentId, evidence: { kind: 'link', value: 'https://status.example.com/1' }, actor: 'ops-lead' });
    expect(evidence).toMatchObject({ topic: 'evidence.added', payload: { kind: 'link', addedBy: 'ops-lead' } });
    const classified = await act({ action: 'incident-classify', incidentId, classification: { doraMajor: true, nis2Significant: true }, actor: 'ciso' });
    expect(classified.topic).toBe('incident.classified');
    expect(classified.payload.deadlines.nis2[1]).toMatchObject({ report: 'nis2.notification', basis: 'awareness + 24 h' });
    expect(classified.payload.nextDeadline).toMatchObject({ report: expect.stringMatching(/^(dora\.initial|nis2\.early_warning|nis2\.notification)$/) });

    const reported = await act({ action: 'incident-report', incidentId, report: { kind: 'dora.initial', reference: 'NCA-7', evidenceIds: [evidence.payload.id] }, actor: 'ciso' });
    expect(reported).toMatchObject({ topic: 'report.submitted', payload: { report: { kind: 'dora.initial', reference: 'NCA-7', evidenceIds: [evidence.payload.id] } } });
    expect(reported.payload.deadlines.dora[0].submittedAt).toBeDefined();
    await expect(act({ action: 'incident-report', incidentId, report: { kind: 'dora.final' }, actor: 'ciso' })).rejects.toThrow(/needs the dora.intermediate report recorded first/);
    await expect(act({ action: 'incident-report', incidentId, report: { kind: 'nis2.early_warning', submittedAt: '2001-01-01T00:00:00Z' }, actor: 'ciso' })).rejects.toThrow(/before the incident became known/);
    await expect(act({ action: 'incident-report', incidentId, report: 'dora.initial', actor: 'ciso' })).rejects.toThrow(/msg.report must be an object/);

    const reports = await act({ action: 'incident-reports', incidentId });
    expect(reports.payload.map((report: { kind: string }) => report.kind)).toEqual(['dora.initial']);
    const deadlines = await act({ action: 'incident-deadlines', incidentId });
    expect(deadlines.payload.dora.map((deadline: { report: string }) => deadline.report)).toEqual(['dora.initial', 'dora.intermediate', 'dora.final']);
    const detail = await act({ action: 'incident-get', incidentId });
    expect(detail.payload.audit.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['incident.owner_set', 'incident.evidence_added', 'incident.classified', 'incident.report_submitted']));

    const verified = await act({ action: 'audit-verify' });
    expect(verified).toMatchObject({ topic: 'audit.intact', payload: { tenant: 'acme', entries: expect.any(Number) } });
    expect(verified.payload.broken).toBeUndefined();
    await expect(act({ action: 'incident-get' })).rejects.toThrow(/an incident id \(msg.incidentId\) is required/);
  });
});

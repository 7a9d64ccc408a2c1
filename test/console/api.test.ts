import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../core/console';
import { promoteEvent } from '../../core/review/promote-event';
import { classifyIncident } from '../../core/incidents/incident-updates';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { seedDeadLetter, signedIn, startConsole, usersByRole, type ConsoleServer } from './support/console-fixture';

let h: IntakeHarness;
let server: ConsoleServer;
const FILE_TOKEN = 'iit_file_wall-display-token-for-tests-0123456789abcdef';

beforeEach(async () => {
  h = await intakeHarness();
  const users = await usersByRole();
  users.apiTokens.push({ id: 'wall', name: 'NOC wall', tenants: ['acme'], sha256: sha256Hex(FILE_TOKEN) });
  server = await startConsole(h.store, users);
});
afterEach(async () => {
  await server.close();
  await h.store.close();
});

const api = (path: string, token?: string, init: RequestInit = {}) => fetch(`${server.url}/api/v1/${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers } });

async function issueToken(name: string): Promise<{ id: string; token: string }> {
  const admin = await signedIn(server.url, 'admin');
  await admin.get('/api-tokens');
  const issued = await admin.post('/api-tokens', { name });
  expect(issued.status).toBe(201);
  const token = /<pre>(iit_[0-9a-f]{16}_[A-Za-z0-9_-]{43})<\/pre>/.exec(issued.text)![1]!;
  return { id: token.slice(4, 20), token };
}

describe('the read-only API', () => {
  it('issues a token shown once, stored only as its SHA-256, that reads incidents, sources and destinations', async () => {
    const sent = await h.send(incidentPayload({ title: 'Payments API down' }));
    const { incident } = await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'alice', reason: 'real' });
    await classifyIncident(h.store, 'acme', incident.id, { doraMajor: true, nis2Significant: false, classifiedAt: Date.now() }, 'alice');
    await seedDeadLetter(h.store, 'acme', 'dest-1', incident.id, 'dlv_api', h.now);
    const { id, token } = await issueToken('grafana');
    const stored = await h.store.transaction((r) => r.console.apiToken(id));
    expect(stored).toMatchObject({ name: 'grafana', tenant: 'acme', tokenSha256: sha256Hex(token), createdBy: 'admin', revokedAt: null });
    expect(JSON.stringify(stored)).not.toContain(token);
    const admin = await signedIn(server.url, 'admin');
    expect((await admin.get('/api-tokens')).text).not.toContain(token);

    const incidents = await (await api('incidents', token)).json();
    expect(incidents).toMatchObject({ tenant: 'acme', view: 'active', next: null, items: [expect.objectContaining({ id: incident.id, title: 'Payments API down', doraMajor: true, nextReport: expect.objectContaining({ report: 'dora.initial' }) })] });
    const sources = await (await api('sources', token)).json();
    expect(sources.items).toEqual([expect.objectContaining({ id: 'src-1', enabled: true, last24h: expect.any(Object) })]);
    const destinations = await (await api('destinations', token)).json();
    expect(destinations.items).toEqual([expect.objectContaining({ destinationId: 'dest-1', deadLettered: 1 })]);
    const audit = await h.store.transaction((r) => r.audit.forSubject('acme', 'api_token', id));
    expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([['console.api_token_created', 'admin']]);
  });

  it('pages incidents by keyset', async () => {
    for (let n = 0; n < 5; n++) {
      const sent = await h.send(incidentPayload({ externalId: `INC-${n}`, title: `Incident ${n}` }));
      await promoteEvent(h.store, 'acme', sent.events[0]!.id, { actor: 'alice', reason: 'real' }, { now: () => h.now + n * 1000 });
    }
    const { token } = await issueToken('bi');
    const first = await (await api('incidents?limit=2', token)).json();
    expect(first.items.map((item: { title: string }) => item.title)).toEqual(['Incident 4', 'Incident 3']);
    const second = await (await api(`incidents?limit=2&after=${first.next}`, token)).json();
    const third = await (await api(`incidents?limit=2&after=${second.next}`, token)).json();
    expect([...second.items, ...third.items].map((item: { title: string }) => item.title)).toEqual(['Incident 2', 'Incident 1', 'Incident 0']);
    expect(third.next).toBeNull();
  });

  it('refuses a revoked token, a wrong one, no token, another tenant and any write', async () => {
    const { id, token } = await issueToken('chatbot');
    expect((await api('incidents', token)).status).toBe(200);
    expect((await api('incidents?tenant=globex', token)).status).toBe(403);
    expect((await api('incidents', token, { method: 'POST' })).status).toBe(405);
    expect((await api('incidents', `${token.slice(0, -1)}x`)).status).toBe(401);
    expect((await api('incidents')).status).toBe(401);
    const admin = await signedIn(server.url, 'admin');
    await admin.get('/api-tokens');
    expect((await admin.post(`/api-tokens/${id}/revoke`, {})).status).toBe(303);
    const revoked = await api('incidents', token);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('accepts a token from the users file (hashed there) and a signed-in session', async () => {
    expect((await api('sources', FILE_TOKEN)).status).toBe(200);
    const viewer = await signedIn(server.url, 'viewer');
    const answer = await viewer.get('/api/v1/review-queue');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ tenant: 'acme', items: [] });
  });
});

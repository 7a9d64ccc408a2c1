import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../core/console';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { ConsoleClient, PASSWORD, signedIn, startConsole, usersByRole, type ConsoleServer } from './support/console-fixture';

let h: IntakeHarness;
let server: ConsoleServer;

beforeEach(async () => {
  h = await intakeHarness();
  server = await startConsole(h.store, await usersByRole());
});
afterEach(async () => {
  await server.close();
  await h.store.close();
});

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('sessions and sign-in', () => {
  it('sets HttpOnly, SameSite=Strict session cookies and a strict CSP without inline script', async () => {
    const client = new ConsoleClient(server.url);
    const form = await client.get('/sign-in');
    expect(form.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    const pre = /name="pre" value="([^"]+)"/.exec(form.text)![1]!;
    const answer = await client.post('/sign-in', { pre, user: 'viewer', password: PASSWORD }, { csrf: null });
    expect(answer.status).toBe(303);
    const session = answer.headers.getSetCookie().find((line) => line.startsWith('ii_console='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toMatch(/Secure/);
    const page = await client.get('/queue');
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/);
    expect(page.text).toContain('<script src="/assets/console.js"></script>');
  });

  it('marks cookies Secure when asked', async () => {
    const { createConsole } = await import('../../core/console');
    const { createServer } = await import('node:http');
    const secureConsole = createConsole({ store: h.store, basePath: '/c', users: await usersByRole(), secureCookies: true });
    const secureServer = createServer((request, response) => void secureConsole.handle(request, response));
    await new Promise<void>((resolve) => secureServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(secureServer.address() as { port: number }).port}/c`;
    try {
      const response = await fetch(`${url}/sign-in`);
      expect(response.headers.getSetCookie()[0]).toMatch(/; Path=\/c; HttpOnly; SameSite=Strict; Max-Age=600; Secure$/);
    } finally {
      secureServer.closeAllConnections();
      await new Promise((resolve) => secureServer.close(resolve));
    }
  });

  it('rate-limits failed sign-ins per user: the sixth try waits even with the right password', async () => {
    const client = new ConsoleClient(server.url);
    for (let attempt = 0; attempt < 5; attempt++) expect((await client.signIn('reviewer', 'wrong')).status).toBe(401);
    const limited = await client.signIn('reviewer', PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await new ConsoleClient(server.url).signIn('viewer')).status).toBe(303);
  });

  it('rate-limits failed sign-ins per client address across user names', async () => {
    const client = new ConsoleClient(server.url);
    for (let attempt = 0; attempt < 30; attempt++) expect((await client.signIn(`guess-${attempt}`, 'wrong')).status).toBe(401);
    expect((await client.signIn('admin', PASSWORD)).status).toBe(429);
  });

  it('refuses a sign-in without the form token (login CSRF) and an unknown user alike', async () => {
    const client = new ConsoleClient(server.url);
    expect((await client.post('/sign-in', { user: 'viewer', password: PASSWORD }, { csrf: null })).status).toBe(403);
    expect((await client.signIn('nobody')).status).toBe(401);
  });

  it('exchanges a host ticket for a session once', async () => {
    const ticket = server.console.issueTicket({ id: 'nr-admin', name: 'Node-RED admin', roles: ['viewer'], tenants: ['acme'] });
    const client = new ConsoleClient(server.url);
    const first = await client.get(`/sign-in/ticket?t=${ticket}`);
    expect(first.status).toBe(303);
    expect((await client.get('/queue')).text).toContain('Node-RED admin');
    expect((await new ConsoleClient(server.url).get(`/sign-in/ticket?t=${ticket}`)).status).toBe(403);
  });
});

describe('forged writes', () => {
  it('refuses a POST without the CSRF token, with another session\'s token, and from another site', async () => {
    const sent = await h.send(incidentPayload());
    const id = sent.events[0]!.id;
    const reviewer = await signedIn(server.url, 'reviewer');
    const other = await signedIn(server.url, 'admin');
    expect((await reviewer.post(`/events/${id}/promote`, { reason: 'forged' }, { csrf: null })).status).toBe(403);
    expect((await reviewer.post(`/events/${id}/promote`, { reason: 'forged' }, { csrf: other.csrf })).status).toBe(403);
    const crossSite = await reviewer.post(`/events/${id}/promote`, { reason: 'forged' }, { headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await h.store.transaction((r) => r.events.get('acme', id)))!.state).toBe('pending_review');
    expect((await reviewer.post(`/events/${id}/promote`, { reason: 'real one' })).status).toBe(303);
    expect((await h.store.transaction((r) => r.events.get('acme', id)))!).toMatchObject({ state: 'promoted', decidedBy: 'reviewer', decisionReason: 'real one' });
  });

  it('takes the actor from the session, never from the form', async () => {
    const id = (await h.send(incidentPayload())).events[0]!.id;
    const reviewer = await signedIn(server.url, 'reviewer');
    await reviewer.post(`/events/${id}/reject`, { reason: 'noise', actor: 'someone-else' });
    const audit = await h.store.transaction((r) => r.audit.forSubject('acme', 'event', id));
    expect(audit.at(-1)).toMatchObject({ action: 'event.rejected', actor: 'reviewer' });
  });

  it('requires a reason', async () => {
    const id = (await h.send(incidentPayload())).events[0]!.id;
    const reviewer = await signedIn(server.url, 'reviewer');
    expect((await reviewer.post(`/events/${id}/promote`, { reason: '  ' })).status).toBe(400);
  });

  it('a page request without a session is sent to sign-in; a POST is refused', async () => {
    const anonymous = new ConsoleClient(server.url);
    expect((await anonymous.get('/audit')).headers.get('location')).toBe('/sign-in');
    expect((await anonymous.post('/events/x/promote', { reason: 'r' }, { csrf: 'guess' })).status).toBe(401);
  });
});

describe('two reviewers, one event', () => {
  it('the second sees who decided first and why', async () => {
    const id = (await h.send(incidentPayload())).events[0]!.id;
    const first = await signedIn(server.url, 'reviewer');
    const second = await signedIn(server.url, 'admin');
    await second.get('/queue');
    expect((await first.post(`/events/${id}/promote`, { reason: 'confirmed' })).status).toBe(303);
    const lost = await second.post(`/events/${id}/reject`, { reason: 'noise' });
    expect(lost.headers.get('location')).toBe(`/events/${id}`);
    const page = await second.get(`/events/${id}`);
    expect(page.text).toContain('already promoted by reviewer');
    expect(page.text).toContain('reason: confirmed');
  });
});

describe('escaping and secrets', () => {
  it('renders hostile payload fields as text and never shows credential fields', async () => {
    const payload = incidentPayload({ title: HOSTILE, affectedSystems: ['"><script>alert(2)</script>'], description: 'x', labels: { token: 'abc' } });
    await h.send({ ...payload, password: 'hunter2-hunter2', apiKey: 'sk_live_42424242', note: 'Authorization: Bearer eyJhbGciOi.secret.part' });
    const viewer = await signedIn(server.url, 'viewer');
    const queue = await viewer.get('/queue');
    expect(queue.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(queue.text).not.toContain('<img src=x');
    expect(queue.text).not.toContain('<script>alert(2)');
    for (const secret of ['hunter2-hunter2', 'sk_live_42424242', 'eyJhbGciOi.secret.part']) expect(queue.text).not.toContain(secret);
    const id = /\/events\/(evt_[a-z0-9]+)"/.exec(queue.text)![1]!;
    const detail = await viewer.get(`/events/${id}`);
    expect(detail.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(detail.text).not.toContain('hunter2-hunter2');
  });

  it('escapes hostile quarantine reasons and source ids', async () => {
    await h.send({ externalId: HOSTILE, title: 1 });
    const viewer = await signedIn(server.url, 'viewer');
    const page = await viewer.get('/quarantine');
    expect(page.status).toBe(200);
    expect(page.text).toContain('title');
    expect(page.text).not.toContain('<img src=x');
  });
});

describe('tenants', () => {
  it('lets a principal switch only to its own tenants', async () => {
    const users = await usersByRole([{ id: 'msp', name: 'MSP operator', roles: ['viewer'], tenants: ['acme', 'globex'], passwordHash: (await usersByRole()).users[0]!.passwordHash }]);
    const multi = await startConsole(h.store, users);
    try {
      const msp = await signedIn(multi.url, 'msp');
      const queue = await msp.get('/queue');
      expect(queue.text).toContain('<option value="globex"');
      expect((await msp.post('/tenant', { tenant: 'globex', back: '/audit' })).headers.get('location')).toBe('/audit');
      expect((await msp.get('/audit')).text).toContain('tenant globex');
      expect((await msp.post('/tenant', { tenant: 'initech' })).status).toBe(403);
      const single = await signedIn(multi.url, 'viewer');
      expect((await single.post('/tenant', { tenant: 'globex' })).status).toBe(403);
    } finally {
      await multi.close();
    }
  });
});

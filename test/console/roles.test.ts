import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../../core/console/route-list';
import { may, type ConsoleRole } from '../../core/console';
import { promoteEvent } from '../../core/review/promote-event';
import { enableSource } from '../../core/sources/source-admin';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { ROLES, seedDeadLetter, signedIn, startConsole, usersByRole, type ConsoleClient, type ConsoleServer } from './support/console-fixture';

let h: IntakeHarness;
let server: ConsoleServer;
const clients = new Map<ConsoleRole, ConsoleClient>();
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await intakeHarness();
  const pending = await h.send(incidentPayload({ externalId: 'PENDING' }));
  const promoted = await h.send(incidentPayload({ externalId: 'PROMOTED' }));
  const { incident } = await promoteEvent(h.store, 'acme', promoted.events[0]!.id, { actor: 'setup', reason: 'seed' });
  await seedDeadLetter(h.store, 'acme', 'dest-1', incident.id, 'dlv_matrix', h.now);
  ids.id = pending.events[0]!.id;
  ids.incident = incident.id;
  ids.delivery = 'dlv_matrix';
  server = await startConsole(h.store, await usersByRole());
  for (const role of ROLES) clients.set(role, await signedIn(server.url, role));
});
afterAll(async () => {
  await server.close();
  await h.store.close();
});

/** A concrete address for a route pattern: each `:id` gets an id of the right kind. */
function concrete(path: string): string {
  if (path.startsWith('/events/')) return path.replace(':id', ids.id!);
  if (path.startsWith('/incidents/')) return path.replace(':id', ids.incident!);
  if (path.startsWith('/deliveries/')) return path.replace(':id', ids.delivery!);
  if (path.startsWith('/sources/')) return path.replace(':id', 'src-1');
  if (path.startsWith('/destinations/')) return path.replace(':id', 'dest-1');
  if (path.startsWith('/api-tokens/')) return path.replace(':id', '0000000000000000');
  return path;
}

const FORM = { reason: 'matrix check', name: 'matrix', destination: 'dest-1', tenant: 'acme', provider: 'generic', sample: '{}', expression: '' };

describe('the role matrix: every route × every role', () => {
  // Sign-out ends the session the other rows need; it is checked on its own below.
  const routes = CONSOLE_ROUTES.filter((route) => route.path !== '/sign-out');
  for (const route of routes) {
    for (const role of ROLES) {
      const allowed = may({ id: role, name: role, roles: [role], tenants: ['acme'] }, route.permission);
      it(`${route.method} ${route.path} as ${role}: ${allowed ? 'allowed' : '403'}`, async () => {
        const client = clients.get(role)!;
        const path = concrete(route.path) + (route.path === '/deliveries/replay' ? '?destination=dest-1' : '');
        const answer = route.method === 'GET' ? await client.get(path) : await client.post(path, FORM);
        if (allowed) expect(answer.status, answer.text.slice(0, 300)).not.toBe(403);
        else expect(answer.status).toBe(403);
        if (allowed) expect(answer.status).toBeLessThan(500);
      });
    }
  }

  it('signs out, and the old cookie no longer opens a page', async () => {
    const client = await signedIn(server.url, 'viewer');
    const cookie = client.cookieHeader;
    expect((await client.post('/sign-out', {})).status).toBe(303);
    const after = await fetch(`${server.url}/queue`, { redirect: 'manual', headers: { cookie } });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/sign-in');
  });
});

describe('pages show each role only its controls', () => {
  it('a viewer sees no write control anywhere', async () => {
    const viewer = clients.get('viewer')!;
    for (const path of ['/queue', `/events/${ids.id}`, '/sources', '/deliveries', `/deliveries/${ids.delivery}`, '/incidents', '/audit']) {
      const page = await viewer.get(path);
      expect(page.status).toBe(200);
      const actions = [...page.text.matchAll(/<form[^>]*method="post"[^>]*action="([^"]+)"/g)].map((match) => match[1]);
      expect(actions.filter((action) => !['/sign-out', '/tenant'].includes(action!)), path).toEqual([]);
    }
  });

  it('a reviewer gets promote/reject but no replay or source controls; an operator the reverse', async () => {
    await enableSource(h.store, 'acme', 'src-1', 'setup', { force: true }); // the matrix's operator row disabled it
    await seedDeadLetter(h.store, 'acme', 'dest-1', ids.incident!, 'dlv_controls', h.now); // and replayed the first one
    const fresh = (await h.send(incidentPayload({ externalId: 'CONTROLS' }))).events[0]!.id;
    const reviewerQueue = await clients.get('reviewer')!.get('/queue');
    expect(reviewerQueue.text).toContain(`/events/${fresh}/promote`);
    expect(reviewerQueue.text).toContain(`/events/${fresh}/reject`);
    expect((await clients.get('reviewer')!.get('/deliveries')).text).not.toContain('replay');
    const operatorQueue = await clients.get('operator')!.get('/queue');
    expect(operatorQueue.text).not.toContain('/promote');
    expect((await clients.get('operator')!.get('/deliveries')).text).toContain('/deliveries/replay?destination=dest-1');
    expect((await clients.get('operator')!.get('/sources')).text).toContain('/sources/src-1/disable');
  });
});

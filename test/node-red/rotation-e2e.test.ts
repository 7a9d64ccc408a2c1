import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { sourceHealth } from '../../core/sources/source-admin';
import { openSqliteStore } from '../../core/store';
import { startNodeRed, waitFor, type NodeRedProcess } from '../support/node-red-runtime';

/**
 * Secret rotation through the intake source config node in a real Node-RED (child process, package linked,
 * flows deployed through the admin API): the Rotate button's admin endpoint, the senders' requests, the
 * audit trail and source health in the store, and the credentials surviving a deploy and a restart.
 * Needs `npm run build` first (npm test does it).
 */
const userDir = mkdtempSync(join(tmpdir(), 'node-red-rotation-'));
const first = generateStandardWebhookSecret();
let red: NodeRedProcess;
let counter = 0;
const seen: string[] = [first];

const flows = (credentials?: object) => [
  { id: 'r-tab', type: 'tab', label: 'Rotation' },
  { id: 'r-store', type: 'intake-store', sqlitePath: 'rotation.sqlite' },
  { id: 'r-src', type: 'intake-source', tenant: 'acme', sourceId: 'partner', provider: 'generic', mode: 'review', scheme: 'standard-webhooks', ...(credentials && { credentials }) },
  { id: 'r-intake', z: 'r-tab', type: 'incident-intake', source: 'r-src', store: 'r-store', wires: [[], [], []] },
];

async function send(secret: string) {
  const raw = Buffer.from(JSON.stringify({ externalId: `R-${++counter}`, title: 'Checkout failing', detectedAt: '2026-11-23T10:00:00Z', severity: 'high', status: 'open' }));
  const response = await request(`${red.url}/intake/partner`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id: `msg_rot_${counter}` }) } });
  await response.body.text();
  return response.statusCode;
}

async function admin(path: string, body: object) {
  const response = await request(`${red.url}/incident-intake/sources/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as Record<string, any> };
}

async function inStore<T>(work: (store: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>): Promise<T> {
  const store = await openSqliteStore(join(userDir, 'rotation.sqlite'));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
const health = () => inStore((store) => sourceHealth(store, 'acme', 'partner'));
const audit = () => inStore((store) => store.transaction((r) => r.audit.forSubject('acme', 'source', 'partner')));

beforeAll(async () => {
  red = await startNodeRed({ userDir });
  await red.deploy(flows({ secret: first }));
}, 60_000);
afterAll(async () => {
  await red?.stop();
  rmSync(userDir, { recursive: true, force: true });
});

describe('secret rotation in a real Node-RED', () => {
  let second: string;
  let third: string;

  it('rotates with a grace: a generated whsec_ secret, shown once; old and new both accepted; health names the secret used', async () => {
    expect(await send(first)).toBe(202);
    const rotated = await admin('r-src/rotate', { graceSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    expect(rotated.body).toMatchObject({ generated: true, revoked: false, liveSecrets: 2, secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) });
    second = rotated.body.secret;
    seen.push(second);
    expect(Date.parse(rotated.body.previousValidUntil) - Date.parse(rotated.body.rotatedAt)).toBe(3_600_000);

    expect(await send(first)).toBe(202);
    expect((await health()).secrets).toMatchObject({ lastUsed: 'previous', senderSwitched: false, previousValidUntil: rotated.body.previousValidUntil });
    expect(await send(second)).toBe(202);
    expect((await health()).secrets).toMatchObject({ lastUsed: 'current', senderSwitched: true });
    expect((await audit()).at(-1)).toMatchObject({ action: 'source.secret_rotated', actor: 'node-red editor', details: { scheme: 'standard-webhooks', generated: true, replaced: 1 } });
  });

  it('refuses the replaced secret once a short grace has passed, and audits its end', async () => {
    const rotated = await admin('r-src/rotate', { graceSeconds: 1 });
    expect(rotated.status).toBe(200);
    third = rotated.body.secret;
    seen.push(third);
    await waitFor(async () => (await send(second)) === 401, 30_000);
    expect(await send(third)).toBe(202);
    expect((await audit()).map((entry) => entry.action).slice(-2)).toEqual(['source.secret_rotated', 'source.secret_expired']);
    expect((await health()).secrets.previousValidUntil).toBeNull();
  });

  it('revoke now (a compromised key) refuses the old secret at once', async () => {
    const rotated = await admin('r-src/rotate', { revoke: true, graceSeconds: 3600 });
    expect(rotated.body).toMatchObject({ revoked: true, previousValidUntil: null, liveSecrets: 1 });
    const fourth = rotated.body.secret as string;
    seen.push(fourth);
    expect(await send(third)).toBe(401);
    expect(await send(fourth)).toBe(202);
    expect((await audit()).map((entry) => entry.action).slice(-2)).toEqual(['source.secret_rotated', 'source.secret_revoked']);
  });

  it('takes a secret the sender generated, never echoes it, and Revoke old secret now ends the grace', async () => {
    const supplied = generateStandardWebhookSecret();
    const previous = seen.at(-1)!;
    const rotated = await admin('r-src/rotate', { secret: supplied, graceSeconds: 3600 });
    expect(rotated.body).toMatchObject({ generated: false, liveSecrets: 2 });
    expect(JSON.stringify(rotated.body)).not.toContain(supplied);
    seen.push(supplied);
    expect(await send(previous)).toBe(202);
    const revoked = await admin('r-src/revoke-previous', {});
    expect(revoked.body).toEqual({ revoked: 1, liveSecrets: 1 });
    expect(await send(previous)).toBe(401);
    expect(await send(supplied)).toBe(202);
  });

  it('refuses bad input with a clear error and leaves the current secret live', async () => {
    const current = seen.at(-1)!;
    const cases: Array<[string, object, number, RegExp]> = [
      ['r-src/rotate', { secret: 'whsec_dG9vLXNob3J0' }, 400, /refused, the current secret stays live: a Standard Webhooks key is 24 to 64 bytes/],
      ['r-src/rotate', { secret: 'not a secret' }, 400, /refused/],
      ['r-src/rotate', { secret: 42 }, 400, /must be a string/],
      ['r-src/rotate', { graceSeconds: -1 }, 400, /grace period/],
      ['r-src/rotate', { graceSeconds: 'soon' }, 400, /grace period/],
      ['r-src/rotate', { secret: current }, 400, /live secrets already/],
      ['nope/rotate', {}, 404, /not deployed/],
    ];
    for (const [path, body, status, message] of cases) {
      const answer = await admin(path, body);
      expect([answer.status, answer.body.error]).toEqual([status, expect.stringMatching(message)]);
    }
    expect(await send(current)).toBe(202);
  });

  it('keeps the rotated secrets in the credential store across a deploy and a restart, and never writes a secret in clear', async () => {
    const current = seen.at(-1)!;
    // What the editor sends after a rotation: the flows, the password fields left as they were.
    await red.deploy(flows({ secret: '__PWRD__' }));
    expect(await send(current)).toBe(202);
    await red.stop();
    red = await startNodeRed({ userDir });
    // the editor answers before the flows (and the intake route) have started on a busy machine
    await waitFor(async () => red.log().includes('Started flows'), 60_000, () => red.log());
    expect(await send(current)).toBe(202);
    expect(await send(first)).toBe(401);
    const onDisk = readFileSync(join(userDir, 'flows.json'), 'utf8') + readFileSync(join(userDir, 'flows_cred.json'), 'utf8');
    const rows = await inStore((store) => store.transaction(async (r) => JSON.stringify([await r.audit.list('acme', 500), await r.sources.list('acme')])));
    for (const secret of seen) {
      expect(onDisk).not.toContain(secret);
      expect(red.log()).not.toContain(secret);
      expect(rows).not.toContain(secret);
    }
  }, 90_000);
});

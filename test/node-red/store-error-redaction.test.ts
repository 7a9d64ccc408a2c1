import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import intakeSourceNode from '../../node-red/intake-source';
import incidentEventsNode from '../../node-red/incident-events';
import incidentReviewNode from '../../node-red/incident-review';
import webhookOutNode from '../../node-red/webhook-out';
import { freePort } from '../support/node-red-runtime';
import { RETENTION_CHECK_ENV } from '../../core/retention/host-retention';

// A store that cannot be opened, in node-red-node-test-helper's runtime: the nodes using it say why in their
// warnings, errors and status, and never repeat the PostgreSQL password the store's credential holds.
helper.init(require.resolve('node-red'));

const nodes = [intakeStoreNode, intakeSourceNode, incidentEventsNode, incidentReviewNode, webhookOutNode];
afterEach(async () => helper.unload());
// The store's retention run comes within the test, and warns that it could not open the store.
beforeAll(() => {
  process.env[RETENTION_CHECK_ENV] = '50';
});
afterAll(() => {
  delete process.env[RETENTION_CHECK_ENV];
});

const flow = [
  { id: 'store', type: 'intake-store' },
  { id: 'src', type: 'intake-source', tenant: 'acme', sourceId: 'web', provider: 'generic', mode: 'auto-create', scheme: 'none' },
  { id: 'events', type: 'incident-events', source: 'src', store: 'store', scan: false, wires: [[]] },
  { id: 'review', type: 'incident-review', source: 'src', store: 'store', action: 'incident-get', wires: [[]] },
  { id: 'out', type: 'webhook-out', store: 'store', tenant: 'acme', url: 'http://127.0.0.1:9/hooks', scheme: 'none', allowHosts: '127.0.0.1', wires: [[]] },
];

/** Everything the nodes said: status texts, warnings, errors (with the stacks of errors handed to `done`). */
function said(): () => string[] {
  const lines: string[] = [];
  for (const id of ['store', 'events', 'review', 'out']) {
    const node = helper.getNode(id) as unknown as { on(event: string, listener: (call: { args: unknown[] }) => void): void };
    node.on('call:status', ({ args }) => lines.push(`${id} status: ${String((args[0] as { text?: unknown }).text)}`));
    for (const level of ['warn', 'error', 'log']) {
      node.on(`call:${level}`, ({ args }) => lines.push(`${id} ${level}: ${String(args[0])} ${args[0] instanceof Error ? args[0].stack : ''}`));
    }
  }
  return () => lines;
}

async function whatTheNodesSay(postgresUrl: string, until: RegExp): Promise<string[]> {
  await helper.load(nodes as never, flow, { store: { postgresUrl } });
  const lines = said();
  helper.getNode('review').receive({ incidentId: 'inc_1' } as never);
  helper.getNode('out').receive({ incidentId: 'inc_1' } as never);
  const heard = (id: string, kind: string) => lines().some((line) => line.startsWith(`${id} ${kind}`) && until.test(line));
  await expect
    .poll(() => heard('store', 'warn') && heard('events', 'warn') && heard('events', 'status') && heard('review', 'error') && heard('review', 'status') && heard('out', 'status') && heard('out', 'error'), { timeout: 20_000 })
    .toBe(true);
  // The console and the source's Rotate button open the store too; their failures go to the runtime log.
  expect((await helper.request().get('/incident-intake/console/store/store/')).status).toBe(500);
  expect((await helper.request().post('/incident-intake/sources/src/rotate').send({})).status).toBe(500);
  const runtimeLog = (helper.log() as unknown as { args: Array<[{ msg?: unknown }]> }).args.map(([entry]) => `runtime log: ${String(entry.msg)}`);
  expect(runtimeLog.filter((line) => /incident-intake console:|rotation failed:/.test(line) && until.test(line))).toHaveLength(2);
  return [...lines(), ...runtimeLog];
}

describe('Node-RED store errors', () => {
  it('keep the reason and drop the password of an unreachable PostgreSQL store', async () => {
    const password = 'Unreachable-s3cret-pw';
    const lines = await whatTheNodesSay(`postgres://intake:${password}@127.0.0.1:${await freePort()}/intake`, /ECONNREFUSED|unavailable/);
    expect(lines.join('\n')).not.toContain(password);
  });

  it('drop a password the store error repeats (a pasted base64 password, not percent-encoded, in a mistyped URL)', async () => {
    // The raw error is "unsupported store URL postgresql+pg://intake:Zk4/s3cret+Pw@…": the `/` keeps the URL from
    // parsing, and the store's own masking (`//…@`) stops at it. The nodes redact it anyway.
    const password = 'Zk4/s3cret+Pw9q';
    const lines = await whatTheNodesSay(`postgresql+pg://intake:${password}@127.0.0.1:1/intake`, /unsupported store URL/);
    const text = lines.join('\n');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(password);
    expect(text).not.toContain('s3cret');
  });

  it('refuse a mistyped PostgreSQL URL instead of opening a SQLite file named after it (password and all)', async () => {
    // `postgres:/…` with one slash is no URL; it used to become a relative SQLite path.
    const mistaken = join(process.cwd(), 'postgres:');
    const existed = existsSync(mistaken);
    try {
      const lines = await whatTheNodesSay('postgres:/intake:Typo-s3cret-pw@127.0.0.1:1/intake', /the PostgreSQL URL is not a URL/);
      expect(lines.join('\n')).not.toContain('Typo-s3cret-pw');
      expect(existsSync(mistaken)).toBe(existed);
    } finally {
      if (!existed) rmSync(mistaken, { recursive: true, force: true });
    }
  });
});

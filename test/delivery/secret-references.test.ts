import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { deliveryDetails, DestinationVault, sealDestination, type DestinationConfigInput } from '../../core/delivery';
import { openSqliteStore } from '../../core/store';
import { harness, type Harness } from './support/harness';
import { incidentRecord } from './support/incidents';
import { WebhookReceiver } from './support/webhook-receiver';

const dir = mkdtempSync(join(tmpdir(), 'delivery-secret-refs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIGNING = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ENV_NAME = `INTAKE_TEST_RECEIVER_TOKEN_${randomBytes(4).toString('hex').toUpperCase()}`;

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

function secretFile(content: string): string {
  const path = join(dir, randomBytes(6).toString('hex'));
  writeFileSync(path, content);
  return path;
}

async function setUp(destination: Partial<DestinationConfigInput>, storePath?: string) {
  let h: Harness | undefined;
  const receiver = await WebhookReceiver.start({ secret: SIGNING, now: () => h!.clock.now() });
  const config = { kind: 'webhook', id: 'ops-hook', tenant: 't1', url: `${receiver.url}/hooks`, signing: { secret: SIGNING }, policy: { scheduleMs: [60_000], timeoutMs: 5_000 }, ...destination } as DestinationConfigInput;
  h = await harness([config], storePath ? { store: await openSqliteStore(storePath) } : {});
  cleanup.push(() => receiver.close(), () => h!.close());
  return { h, receiver, config };
}

describe('destinations with secret references', () => {
  it('reads env and file references at each attempt: headers, the signing secret, a rotated file', async () => {
    const token = `env-token-${randomBytes(8).toString('hex')}`;
    process.env[ENV_NAME] = token;
    cleanup.push(() => void delete process.env[ENV_NAME]);
    const keyFile = secretFile(`${randomBytes(12).toString('hex')}\n`);
    const signingFile = secretFile(`${SIGNING}\n`);
    const { h, receiver } = await setUp({ headers: { Authorization: `Bearer env:${ENV_NAME}`, 'X-Api-Key': `file:${keyFile}`, 'X-Team': 'payments' }, signing: { secret: `file:${signingFile}` } });

    await h.enqueue(incidentRecord());
    const [first] = await h.worker.runOnce();
    expect(first!.status).toBe('delivered');
    const sent = receiver.requests[0]!;
    expect(sent.verified).toBe(true);
    expect(sent.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent.headers['x-api-key']).toBe(readFileSync(keyFile, 'utf8').trim());
    expect(sent.headers['x-team']).toBe('payments');

    const rotated = `rotated-key-${randomBytes(8).toString('hex')}`;
    writeFileSync(keyFile, rotated);
    await h.enqueue(incidentRecord({ id: 'inc_second' }));
    await h.worker.runOnce();
    expect(receiver.requests[1]!.headers['x-api-key']).toBe(rotated);
  });

  it('fails an attempt as retryable with a redacted reason when a file is missing, and delivers once it is there', async () => {
    const path = join(dir, `absent-${randomBytes(4).toString('hex')}`);
    const { h, receiver } = await setUp({ headers: { Authorization: `Bearer file:${path}` } });
    const deliveryId = await h.enqueue(incidentRecord());
    const [failed] = await h.worker.runOnce();
    expect(failed).toMatchObject({ status: 'retry_scheduled', final: false, reason: 'secret_unavailable', httpStatus: null });
    expect(failed!.error).toContain('names a file that does not exist');
    expect(receiver.requests).toHaveLength(0);
    const details = await deliveryDetails(h.store, 't1', deliveryId);
    expect(details!.attempts[0]!.summary.error).toBe(`headers.Authorization: secret reference file:${path} names a file that does not exist`);

    const token = `mounted-later-${randomBytes(8).toString('hex')}`;
    writeFileSync(path, `${token}\n`);
    h.clock.advance(61_000);
    const [retried] = await h.worker.runOnce();
    expect(retried).toMatchObject({ status: 'delivered', attempt: 2 });
    expect(receiver.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('fails as retryable when a referenced secret does not fit its field, naming the field only', async () => {
    const notWhsec = `not-a-standard-webhooks-secret-${randomBytes(6).toString('hex')}`;
    const { h } = await setUp({ signing: { secret: `file:${secretFile(notWhsec)}` } });
    const deliveryId = await h.enqueue(incidentRecord());
    const [failed] = await h.worker.runOnce();
    expect(failed).toMatchObject({ status: 'retry_scheduled', reason: 'secret_unavailable' });
    const { attempts } = (await deliveryDetails(h.store, 't1', deliveryId))!;
    expect(attempts[0]!.summary.error).toBe('signing.secret: the referenced secret is not valid for this field');
    expect(JSON.stringify(attempts)).not.toContain(notWhsec);
  });

  it('keeps references, never the resolved values, in the store (sealed configs and attempt rows alike)', async () => {
    const storePath = join(dir, `${randomBytes(6).toString('hex')}.sqlite`);
    const token = `stored-never-${randomBytes(8).toString('hex')}`;
    const tokenFile = secretFile(token);
    const { h, receiver, config } = await setUp({ headers: { Authorization: `Bearer file:${tokenFile}` } }, storePath);
    receiver.respondWith({ status: 500, body: `echo: Bearer ${token}` });
    await h.enqueue(incidentRecord());
    const [failed] = await h.worker.runOnce();
    expect(failed!.status).toBe('retry_scheduled');
    expect(JSON.stringify(failed)).not.toContain(token);
    const vault = new DestinationVault([randomBytes(32).toString('base64')]);
    await sealDestination(h.store, vault, config);
    const opened = vault.unseal('t1', 'ops-hook', (await h.store.transaction((r) => r.destinations.getSealed('t1', 'ops-hook')))!);
    expect(opened.kind === 'webhook' && opened.headers.Authorization).toBe(`Bearer file:${tokenFile}`);
    await h.close();
    cleanup = [];
    await receiver.close();
    const bytes = Buffer.concat([storePath, `${storePath}-wal`].filter(existsSync).map((file) => readFileSync(file)));
    expect(bytes.includes(Buffer.from(token))).toBe(false);
    expect(bytes.includes(Buffer.from('ops-hook'))).toBe(true);
  });
});

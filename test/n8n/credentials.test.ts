import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertSourceCredentialTest, signedWebhookCredentialTest, sourceAuthCredentialTest, storeCredentialTest } from '../../nodes/shared/credential-tests';
import { storeLocation } from '../../nodes/shared/store-location';
import { StandIn } from './e2e/stand-ins';
import { newWebhookSecret, tempStore } from './support/fixtures';

const context = {} as ICredentialTestFunctions;
const test = (fn: typeof storeCredentialTest, data: Record<string, unknown>) => fn.call(context, { id: 'c1', name: 'c', type: 't', data } as ICredentialsDecrypted);

describe('credential tests', () => {
  it('opens a SQLite store, and reports a PostgreSQL URL that cannot connect without its password', async () => {
    const store = await tempStore();
    try {
      expect(await test(storeCredentialTest, store.credential)).toMatchObject({ status: 'OK' });
    } finally {
      await store.cleanup();
    }
    const failed = await test(storeCredentialTest, { backend: 'postgres', postgresUrl: 'postgres://intake:s3cret-pass@127.0.0.1:1/intake' });
    expect(failed.status).toBe('Error');
    expect(failed.message).not.toContain('s3cret-pass');
  });

  it('checks an outbox encryption key and counts the sealed destinations it opens, without showing the key', async () => {
    const store = await tempStore();
    try {
      const key = randomBytes(32).toString('base64');
      expect(await test(storeCredentialTest, { ...store.credential, outboxEncryptionKey: key })).toMatchObject({
        status: 'OK',
        message: expect.stringMatching(/; outbox key [0-9a-f]{16}: 0 of 0 sealed destinations are sealed with the keys given$/),
      });
      const broken = await test(storeCredentialTest, { ...store.credential, outboxEncryptionKey: 'hunter2-is-my-key' });
      expect(broken).toMatchObject({ status: 'Error', message: expect.stringMatching(/openssl rand -base64 32/) });
      expect(broken.message).not.toContain('hunter2');
    } finally {
      await store.cleanup();
    }
  });

  it('refuses a PostgreSQL URL that is no URL (it would be opened as a SQLite file), without repeating it', () => {
    for (const postgresUrl of ['postgres:/intake:s3cret-pass@127.0.0.1/intake', 'host=127.0.0.1 password=s3cret-pass']) {
      expect(() => storeLocation({ backend: 'postgres', postgresUrl })).toThrow("the intake store credential's PostgreSQL URL is not a URL: give postgres://user:password@host:5432/database");
    }
    expect(storeLocation({ backend: 'postgres', postgresUrl: ' postgresql://intake:s3cret-pass@127.0.0.1/intake ' })).toBe('postgresql://intake:s3cret-pass@127.0.0.1/intake');
  });

  it('puts the default SQLite file under the n8n user folder', () => {
    const previous = process.env.N8N_USER_FOLDER;
    process.env.N8N_USER_FOLDER = '/srv/n8n';
    try {
      expect(storeLocation({ backend: 'sqlite', sqlitePath: '' })).toBe(join('/srv/n8n', '.n8n', 'incident-intake', 'intake.sqlite'));
      expect(storeLocation({ backend: 'sqlite', sqlitePath: 'custom/x.db' })).toBe(join('/srv/n8n', '.n8n', 'custom', 'x.db'));
    } finally {
      if (previous === undefined) delete process.env.N8N_USER_FOLDER;
      else process.env.N8N_USER_FOLDER = previous;
    }
  });

  it('signs and verifies a probe with the source secret, and names a broken one without showing it', async () => {
    expect(await test(sourceAuthCredentialTest, { scheme: 'standard-webhooks', secret: newWebhookSecret() })).toMatchObject({ status: 'OK' });
    expect(await test(sourceAuthCredentialTest, { scheme: 'hub-sha256', secret: 'It is a secret', previousSecret: 'older secret' })).toMatchObject({ status: 'OK' });
    const broken = await test(sourceAuthCredentialTest, { scheme: 'standard-webhooks', secret: 'whsec_***not-base64***' });
    expect(broken.status).toBe('Error');
    expect(broken.message).not.toContain('not-base64');
    expect(await test(sourceAuthCredentialTest, { scheme: 'pagerduty', secret: '' })).toMatchObject({ status: 'Error', message: expect.stringMatching(/no secret/) });
  });

  it('checks the signed-webhook secret format for its scheme', async () => {
    expect(await test(signedWebhookCredentialTest, { scheme: 'standard-webhooks', secret: newWebhookSecret() })).toMatchObject({ status: 'OK' });
    expect(await test(signedWebhookCredentialTest, { scheme: 'standard-webhooks', secret: 'plain' })).toMatchObject({ status: 'Error' });
    expect(await test(signedWebhookCredentialTest, { scheme: 'hmac-hex', secret: 'short' })).toMatchObject({ status: 'Error' });
  });

  describe('incident.io alert source token', () => {
    const standIn = new StandIn((request, response) => {
      response.writeHead(request.headers.authorization === 'Bearer good-token-123' ? 422 : 401, { 'content-type': 'application/json' });
      response.end('{}');
    });
    let baseUrl: string;
    beforeAll(async () => {
      baseUrl = await standIn.listen();
    });
    afterAll(() => standIn.close());

    it('accepts a token that gets a validation error and refuses one that gets 401, creating nothing', async () => {
      expect(await test(alertSourceCredentialTest, { baseUrl, alertSourceConfigId: 'SRC1', token: 'good-token-123' })).toMatchObject({ status: 'OK' });
      expect(await test(alertSourceCredentialTest, { baseUrl, alertSourceConfigId: 'SRC1', token: 'bad-token-456' })).toMatchObject({ status: 'Error', message: expect.stringMatching(/refused/) });
      expect(JSON.parse(standIn.requests[0]!.body)).toEqual({});
    });
  });
});

describe('package manifest', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

  it('lists every node and credential, and each declared file exists after the build', () => {
    expect(manifest.n8n.nodes).toHaveLength(7);
    expect(manifest.n8n.credentials).toHaveLength(6);
    for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
      expect(() => readFileSync(join(__dirname, '..', '..', file)), file).not.toThrow();
    }
  });

  it('keeps n8n-workflow an optional peer dependency', () => {
    expect(manifest.peerDependencies['n8n-workflow']).toBeDefined();
    expect(manifest.peerDependenciesMeta['n8n-workflow']).toEqual({ optional: true });
    expect(manifest.dependencies['n8n-workflow']).toBeUndefined();
  });
});

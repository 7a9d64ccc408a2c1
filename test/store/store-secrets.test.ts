import { describe, expect, it } from 'vitest';
import { redactText } from '../../core/delivery/redact';
import { storeSecrets } from '../../core/store/store-secrets';
import { storeSecrets as n8nStoreSecrets } from '../../nodes/shared/store-location';

describe('storeSecrets', () => {
  it('lists a PostgreSQL URL whole, its password as typed and decoded, and the outbox keys', () => {
    const url = 'postgres://intake:p%40ss-w0rd!@127.0.0.1:5432/intake';
    expect(storeSecrets({ postgresUrl: ` ${url} `, outboxKeys: ['key-current', undefined, ' key-old '] })).toEqual([url, 'p%40ss-w0rd!', 'p@ss-w0rd!', 'key-current', 'key-old']);
  });

  it('finds the password of a URL that does not parse (an unencoded `/` in a pasted base64 password)', () => {
    const url = 'postgres://intake:Zk4/s3cret+Pw@127.0.0.1:5432/intake';
    expect(URL.canParse(url)).toBe(false);
    expect(storeSecrets({ postgresUrl: url })).toContain('Zk4/s3cret+Pw');
    expect(redactText('could not connect as intake:Zk4/s3cret+Pw', storeSecrets({ postgresUrl: url }))).toBe('could not connect as intake:[redacted]');
  });

  it('keeps a password with a stray `%` as it is instead of throwing', () => {
    expect(storeSecrets({ postgresUrl: 'postgres://intake:100%pure@127.0.0.1/intake' })).toContain('100%pure');
  });

  it('lists nothing for settings without secrets (a SQLite store, a URL without a password)', () => {
    expect(storeSecrets({})).toEqual([]);
    expect(storeSecrets({ postgresUrl: '  ', outboxKeys: ['', undefined] })).toEqual([]);
    expect(storeSecrets({ postgresUrl: 'postgres://127.0.0.1:5432/intake' })).toEqual(['postgres://127.0.0.1:5432/intake']);
  });

  it('is what the n8n store credential translates to', () => {
    const credential = { backend: 'postgres', postgresUrl: 'postgres://intake:s3cret-pass@127.0.0.1/intake', outboxEncryptionKey: 'outbox-key-1', previousOutboxEncryptionKey: 'outbox-key-0' };
    expect(n8nStoreSecrets(credential)).toEqual(['postgres://intake:s3cret-pass@127.0.0.1/intake', 's3cret-pass', 'outbox-key-1', 'outbox-key-0']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
});
afterAll(async () => {
  await cli?.cleanup();
});

const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const SECRETS = {
  'standard-webhooks': 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
  stripe: 'whsec_stripe_cli_secret',
  pagerduty: 'pd-cli-secret',
  'hub-sha256': "It's a Secret to Everybody",
  grafana: 'grafana-cli-secret',
  'hmac-hex': 'hex-cli-secret',
  'hmac-base64': 'base64-cli-secret',
  token: 'tok_cli_token_123',
  basic: 'intake:cli password',
} as const;

function headerFlags(signOutput: string): string[] {
  return signOutput
    .trim()
    .split('\n')
    .flatMap((line) => ['-H', line]);
}

describe('incident-intake sign', () => {
  it('prints the Standard Webhooks specification vector', async () => {
    const args = ['sign', '--scheme', 'standard-webhooks', '--secret', VECTOR.secret, '--id', VECTOR.id, '--timestamp', VECTOR.timestamp];
    const result = await runCli(cli, args, VECTOR.body);
    expect(result).toEqual({
      code: 0,
      stdout: `webhook-id: ${VECTOR.id}\nwebhook-timestamp: ${VECTOR.timestamp}\nwebhook-signature: ${VECTOR.signature}\n`,
      stderr: '',
    });
  });

  it('prints the GitHub vector for hub-sha256', async () => {
    const result = await runCli(cli, ['sign', '--scheme', 'hub-sha256', '--secret', SECRETS['hub-sha256']], 'Hello, World!');
    expect(result.stdout).toBe('X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17\n');
  });

  it('defaults the id to msg_<random> and the timestamp to now', async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = await runCli(cli, ['sign', '--scheme', 'standard-webhooks', '--secret', VECTOR.secret], '{}');
    const id = /^webhook-id: (msg_\S+)$/m.exec(result.stdout)?.[1];
    const timestamp = Number(/^webhook-timestamp: (\d+)$/m.exec(result.stdout)?.[1]);
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{16,}$/);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('reads the secret from --secret-env', async () => {
    const args = ['sign', '--scheme', 'standard-webhooks', '--secret-env', 'INTAKE_SECRET', '--id', VECTOR.id, '--timestamp', VECTOR.timestamp];
    const result = await runCli(cli, args, VECTOR.body, { INTAKE_SECRET: VECTOR.secret });
    expect(result.stdout).toContain(`webhook-signature: ${VECTOR.signature}`);
  });

  it('refuses a secret the scheme cannot use, without echoing it', async () => {
    const result = await runCli(cli, ['sign', '--scheme', 'standard-webhooks', '--secret', 'not base64 at all!'], '{}');
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('not base64 at all!');
  });
});

describe('incident-intake sign | verify round trip', () => {
  it.each(Object.keys(SECRETS) as (keyof typeof SECRETS)[])('%s', async (scheme) => {
    const body = '{"title":"db-01 down","n":1}';
    const signed = await runCli(cli, ['sign', '--scheme', scheme, '--secret', SECRETS[scheme], '--id', 'msg_cli_1'], body);
    expect(signed.code).toBe(0);
    const verified = await runCli(cli, ['verify', '--scheme', scheme, '--secret', SECRETS[scheme], ...headerFlags(signed.stdout)], body);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout.split('\n')[0]).toBe('valid');
    const tampered = await runCli(cli, ['verify', '--scheme', scheme, '--secret', SECRETS[scheme], ...headerFlags(signed.stdout)], `${body} `);
    expect(tampered.code).toBe(scheme === 'token' || scheme === 'basic' ? 0 : 1);
  });

  it('grafana with a timestamp header', async () => {
    const flags = ['--scheme', 'grafana', '--secret', SECRETS.grafana, '--timestamp-header', 'X-Grafana-Alerting-Timestamp'];
    const signed = await runCli(cli, ['sign', ...flags, '--timestamp', '1700000000'], '{}');
    expect(signed.stdout).toContain('X-Grafana-Alerting-Timestamp: 1700000000\n');
    const verified = await runCli(cli, ['verify', ...flags, '--now', '1700000300', ...headerFlags(signed.stdout)], '{}');
    expect(verified.code).toBe(0);
  });
});

describe('incident-intake verify', () => {
  const vectorFlags = [
    '--scheme',
    'standard-webhooks',
    '-H',
    `webhook-id: ${VECTOR.id}`,
    '-H',
    `webhook-timestamp: ${VECTOR.timestamp}`,
    '-H',
    `webhook-signature: ${VECTOR.signature}`,
  ];

  it('prints valid and the message id', async () => {
    const result = await runCli(cli, ['verify', ...vectorFlags, '--secret', VECTOR.secret, '--now', VECTOR.timestamp], VECTOR.body);
    expect(result).toEqual({ code: 0, stdout: `valid\nmessage-id: ${VECTOR.id}\n`, stderr: '' });
  });

  it('accepts any of several secrets (rotation)', async () => {
    const args = ['verify', ...vectorFlags, '--secret', SECRETS['standard-webhooks'], '--secret', VECTOR.secret, '--now', VECTOR.timestamp];
    expect((await runCli(cli, args, VECTOR.body)).code).toBe(0);
  });

  it('exits 1 with the reason on stderr, never the secret or a signature', async () => {
    const result = await runCli(cli, ['verify', ...vectorFlags, '--secret', SECRETS['standard-webhooks'], '--now', VECTOR.timestamp], VECTOR.body);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^invalid \(invalid_signature\): /);
    expect(result.stderr).not.toContain(SECRETS['standard-webhooks']);
    expect(result.stderr).not.toContain(VECTOR.signature.slice(3));
  });

  it('applies --tolerance and --now, exact boundary included', async () => {
    const base = ['verify', ...vectorFlags, '--secret', VECTOR.secret, '--tolerance', '60'];
    expect((await runCli(cli, [...base, '--now', String(Number(VECTOR.timestamp) + 60)], VECTOR.body)).code).toBe(0);
    const late = await runCli(cli, [...base, '--now', String(Number(VECTOR.timestamp) + 61)], VECTOR.body);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('timestamp_out_of_tolerance');
  });

  it('sees a header given twice as duplicated', async () => {
    const args = ['verify', ...vectorFlags, '-H', `webhook-signature: ${VECTOR.signature}`, '--secret', VECTOR.secret, '--now', VECTOR.timestamp];
    const result = await runCli(cli, args, VECTOR.body);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('duplicate_header');
  });

  it('uses --header for a custom signature header', async () => {
    const signed = await runCli(cli, ['sign', '--scheme', 'hmac-hex', '--secret', 'k', '--header', 'X-Custom-Sig'], 'x');
    expect(signed.stdout).toMatch(/^X-Custom-Sig: [0-9a-f]{64}\n$/);
    const args = ['verify', '--scheme', 'hmac-hex', '--secret', 'k', '--header', 'X-Custom-Sig', ...headerFlags(signed.stdout)];
    expect((await runCli(cli, args, 'x')).code).toBe(0);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    ['unknown flag', ['verify', '--scheme', 'none', '--bogus']],
    ['missing --scheme', ['verify', '--secret', 'x']],
    ['missing --secret', ['verify', '--scheme', 'stripe']],
    ['unknown scheme', ['sign', '--scheme', 'md5', '--secret', 'x']],
    ['bad --tolerance', ['verify', '--scheme', 'stripe', '--secret', 'x', '--tolerance', 'ten']],
    ['bad --now', ['verify', '--scheme', 'stripe', '--secret', 'x', '--now', '-5']],
    ['bad --timestamp', ['sign', '--scheme', 'stripe', '--secret', 'x', '--timestamp', '1.5']],
    ['bad -H', ['verify', '--scheme', 'none', '-H', 'no colon']],
    ['two secrets to sign with', ['sign', '--scheme', 'stripe', '--secret', 'x', '--secret', 'y']],
    ['unset --secret-env', ['sign', '--scheme', 'stripe', '--secret-env', 'INTAKE_NOT_SET_ANYWHERE']],
    ['a positional argument', ['sign', '--scheme', 'stripe', '--secret', 'x', 'my-mistyped-secret']],
  ])('%s', async (_label, args) => {
    const result = await runCli(cli, args, '{}');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: incident-intake');
    expect(result.stderr).not.toContain('my-mistyped-secret');
  });
});

describe('incident-intake main', () => {
  it('--help lists the commands', async () => {
    const result = await runCli(cli, ['--help']);
    expect(result.code).toBe(0);
    for (const name of ['verify', 'sign', 'send']) expect(result.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('<command> --help prints that command\'s usage, documenting --secret-env', async () => {
    for (const name of ['verify', 'sign', 'send']) {
      const result = await runCli(cli, [name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: incident-intake ${name}`);
      expect(result.stdout).toContain('--secret-env NAME');
    }
  });

  it('an unknown command or no command exits 2', async () => {
    expect((await runCli(cli, ['frobnicate'])).code).toBe(2);
    expect((await runCli(cli, [])).code).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashConsolePassword, parseConsoleUsers } from '../../core/console';
import { verifyConsolePassword } from '../../core/console/users';
import { buildCli, type BuiltCli } from '../cli/build-cli';
import { runCli } from '../cli/run-cli';

describe('the users file', () => {
  it('reads YAML and JSON with password hashes, roles, tenants and hashed API tokens', async () => {
    const hash = await hashConsolePassword('s3cret-pass');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyConsolePassword('s3cret-pass', hash)).toBe(true);
    expect(await verifyConsolePassword('s3cret-Pass', hash)).toBe(false);
    const yaml = parseConsoleUsers(`users:\n  - id: rita\n    name: Rita\n    passwordHash: "${hash}"\n    roles: [reviewer, operator]\n    tenants: [acme, globex]\n  - id: audrey\n    passwordHash: "${hash}"\n    roles: viewer\n    tenants: "*"\napiTokens:\n  - id: noc-wall\n    sha256: ${'a'.repeat(64)}\n    tenants: [acme]\n`);
    expect(yaml.users).toEqual([
      { id: 'rita', name: 'Rita', roles: ['reviewer', 'operator'], tenants: ['acme', 'globex'], passwordHash: hash },
      { id: 'audrey', name: 'audrey', roles: ['viewer'], tenants: '*', passwordHash: hash },
    ]);
    expect(yaml.apiTokens).toEqual([{ id: 'noc-wall', name: 'noc-wall', tenants: ['acme'], sha256: 'a'.repeat(64) }]);
    expect(parseConsoleUsers(JSON.stringify({ users: [{ id: 'x', passwordHash: hash, roles: ['admin'], tenants: ['t'] }] })).users[0]!.roles).toEqual(['admin']);
  });

  it('refuses plain passwords and tokens, unknown roles and duplicates, without echoing secrets', () => {
    expect(() => parseConsoleUsers('users:\n  - id: a\n    password: hunter2\n    roles: [admin]\n    tenants: [t]\n')).toThrow(/plain "password" is not accepted/);
    expect(() => parseConsoleUsers('users: []\napiTokens:\n  - id: t\n    token: iit_plain\n')).toThrow(/plain token is not accepted/);
    const hash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(() => parseConsoleUsers(`users:\n  - id: a\n    passwordHash: "${hash}"\n    roles: [root]\n    tenants: [t]\n`)).toThrow(/roles must be/);
    expect(() => parseConsoleUsers(`users:\n  - id: a\n    passwordHash: "${hash}"\n    roles: [admin]\n`)).toThrow(/tenants must be/);
    expect(() => parseConsoleUsers(`users:\n  - {id: a, passwordHash: "${hash}", roles: [admin], tenants: [t]}\n  - {id: a, passwordHash: "${hash}", roles: [admin], tenants: [t]}\n`)).toThrow(/appears twice/);
    expect(() => parseConsoleUsers('users:\n  - id: a\n    passwordHash: not-a-hash\n    roles: [admin]\n    tenants: [t]\n')).toThrow(/^(?!.*not-a-hash).*passwordHash must be an scrypt hash/);
    expect(() => parseConsoleUsers('{ nope')).toThrow(/not valid JSON or YAML/);
  });
});

describe('incident-intake console (CLI)', () => {
  let cli: BuiltCli;
  beforeAll(async () => {
    cli = await buildCli();
  }, 120_000);
  afterAll(async () => cli?.cleanup());

  it('documents itself, hashes a password from stdin and makes a token with its SHA-256', async () => {
    const help = await runCli(cli, ['console', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--store URL', '--users FILE', '--listen HOST:PORT', '--secure-cookies', '--deliver-to KIND:ID', '--hash-password', '--hash-token']) expect(help.stdout).toContain(flag);
    expect((await runCli(cli, ['--help'])).stdout).toMatch(/console\s+serve the web console/);
    const hashed = await runCli(cli, ['console', '--hash-password'], 'pw-from-stdin\n');
    expect(hashed.code).toBe(0);
    expect(await verifyConsolePassword('pw-from-stdin', hashed.stdout.trim())).toBe(true);
    const token = await runCli(cli, ['console', '--hash-token']);
    const [, value, sha] = /token: +(\S+)\nsha256: ([0-9a-f]{64})/.exec(token.stdout)!;
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(value!).digest('hex')).toBe(sha);
  });

  it('refuses to start without a users file, with a bad --listen, or with a broken users file', async () => {
    expect((await runCli(cli, ['console', '--store', ':memory:'])).stderr).toContain('--users FILE is required');
    const badListen = await runCli(cli, ['console', '--store', ':memory:', '--users', '/nonexistent', '--listen', 'nowhere']);
    expect(badListen.code).toBe(2);
    const missing = await runCli(cli, ['console', '--store', ':memory:', '--users', '/nonexistent/users.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});

import { describe, expect, it } from 'vitest';
import { hashConsolePassword } from '../../core/console';
import { IncidentIntakeConsole } from '../../nodes/IncidentIntakeConsole/IncidentIntakeConsole.node';
import { consoleUsersCredentialTest } from '../../nodes/IncidentIntakeConsole/console-users-test';
import { deliveryTargets } from '../../nodes/IncidentIntakeConsole/answer-console';

const test = (users: string) => consoleUsersCredentialTest.call({} as never, { id: 'c', name: 'c', type: 'incidentIntakeConsoleUsersApi', data: { users } });

describe('Incident Intake Console node', () => {
  it('answers its static path and every page depth below its webhook id, GET and POST', () => {
    const { webhooks } = new IncidentIntakeConsole().description;
    expect(webhooks![0]).toMatchObject({ name: 'default', httpMethod: 'GET', path: '={{$parameter["path"]}}' });
    const pages = webhooks!.slice(1);
    expect(pages).toHaveLength(8);
    expect(pages.map((hook) => hook.path)).toEqual([
      '={{":" + $parameter["path"]}}',
      '={{":" + $parameter["path"] + "/:s2"}}',
      ...Array.from({ length: 6 }, (_, index) => `={{":" + $parameter["path"]${Array.from({ length: index + 2 }, (_, depth) => ` + "/:s${depth + 2}"`).join('')}}}`),
    ]);
    for (const hook of pages) expect(hook).toMatchObject({ httpMethod: 'GET,POST', isFullPath: true });
  });

  it('keeps no user data in parameters: users come from the credential, which the node requires', () => {
    const { description } = new IncidentIntakeConsole();
    expect(description.credentials?.map((credential) => [credential.name, credential.required])).toEqual([
      ['incidentIntakeStoreApi', true],
      ['incidentIntakeConsoleUsersApi', true],
    ]);
    expect(description.properties.map((property) => property.name)).toEqual(['path', 'deliverTo', 'notice', 'options']);
  });

  it('reads its delivery targets as KIND:ID entries and refuses anything else clearly', () => {
    expect(deliveryTargets('webhook:ops-receiver, incident-io:prod')).toEqual([
      { kind: 'webhook', id: 'ops-receiver' },
      { kind: 'incident-io', id: 'prod' },
    ]);
    expect(deliveryTargets('  ')).toEqual([]);
    expect(() => deliveryTargets('ops-receiver')).toThrow(/KIND:ID/);
  });

  it("tests the users credential as the console parses it, naming the entry but never a hash", async () => {
    const hash = await hashConsolePassword('a long passphrase');
    await expect(test(JSON.stringify({ users: [{ id: 'alice', passwordHash: hash, roles: ['admin'], tenants: '*' }] }))).resolves.toEqual({ status: 'OK', message: '1 users and 0 API tokens' });
    const plain = await test('users:\n  - id: bob\n    password: hunter2\n    roles: [viewer]\n    tenants: "*"\n');
    expect(plain.status).toBe('Error');
    expect(plain.message).toMatch(/bob.*plain "password" is not accepted/);
    expect(plain.message).not.toContain('hunter2');
    const badRole = await test(JSON.stringify({ users: [{ id: 'carol', passwordHash: hash, roles: ['root'], tenants: '*' }] }));
    expect(badRole.status).toBe('Error');
    expect(badRole.message).not.toContain(hash);
  });
});

import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** Who may sign in to the Incident Intake Console node's pages, with which roles and tenants: hashes only. */
export class IncidentIntakeConsoleUsersApi implements ICredentialType {
  name = 'incidentIntakeConsoleUsersApi';

  displayName = 'Incident Intake Console Users API';

  documentationUrl = 'https://github.com/intakekit/n8n-nodes-incident-intake/blob/main/docs/console-hosts.md#n8n-incident-intake-console';

  icon = 'file:../nodes/IncidentIntakeConsole/incidentIntakeConsole.svg' as const;

  properties: INodeProperties[] = [
    {
      displayName: 'Users File',
      name: 'users',
      type: 'string',
      typeOptions: { password: true, rows: 10 },
      default: '',
      placeholder: 'users:\n  - id: alice\n    passwordHash: scrypt$16384$8$1$…\n    roles: [reviewer]\n    tenants: "*"',
      description:
        'The console users file (YAML or JSON), the same format as `incident-intake console --users`: each user with an scrypt passwordHash made by `incident-intake console --hash-password`, roles (viewer, reviewer, operator, admin) and tenants; optional apiTokens with their SHA-256 only. Plain passwords and tokens are refused.',
    },
  ];
}

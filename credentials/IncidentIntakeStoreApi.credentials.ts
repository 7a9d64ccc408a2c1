import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Where intake keeps its durable state: a SQLite file (default, under the n8n user folder) or PostgreSQL; and
 * optionally the key that seals delivery destinations into it.
 */
export class IncidentIntakeStoreApi implements ICredentialType {
  name = 'incidentIntakeStoreApi';

  displayName = 'Incident Intake Store API';

  documentationUrl = 'https://github.com/intakekit/n8n-nodes-incident-intake/blob/main/docs/n8n.md#credentials';

  icon = 'file:../nodes/IncidentIntakeTrigger/incidentIntake.svg' as const;

  properties: INodeProperties[] = [
    {
      displayName: 'Database',
      name: 'backend',
      type: 'options',
      options: [
        { name: 'SQLite File', value: 'sqlite', description: 'One file on this n8n host (single main instance)' },
        { name: 'PostgreSQL', value: 'postgres', description: 'Shared by several n8n instances or workers' },
      ],
      default: 'sqlite',
    },
    {
      displayName: 'SQLite Path',
      name: 'sqlitePath',
      type: 'string',
      default: '',
      placeholder: 'incident-intake/intake.sqlite',
      displayOptions: { show: { backend: ['sqlite'] } },
      description: 'Empty: incident-intake/intake.sqlite in the n8n user folder (~/.n8n). Relative paths are taken from that folder.',
    },
    {
      displayName: 'PostgreSQL URL',
      name: 'postgresUrl',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      placeholder: 'postgres://user:password@db:5432/intake',
      displayOptions: { show: { backend: ['postgres'] } },
    },
    {
      displayName: 'Outbox Encryption Key',
      name: 'outboxEncryptionKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description:
        'Optional. With a key, delivery nodes keep their destination (URL and secrets) in the store, sealed with AES-256-GCM, so the Delivery Worker Trigger resumes retries after a restart and, in queue mode, sends deliveries made on the workers. 32 random bytes in base64: generate one with `openssl rand -base64 32`, and use the same key wherever this store is used.',
    },
    {
      displayName: 'Previous Outbox Encryption Key',
      name: 'previousOutboxEncryptionKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'While rotating the key: the one being replaced. Destinations it sealed still open; each is sealed again with the new key the next time its delivery node runs.',
    },
    {
      displayName: 'Retention (Days)',
      name: 'retentionDays',
      type: 'number',
      typeOptions: { minValue: 0 },
      default: 30,
      description:
        'Rejected, duplicate, quarantined and filtered events that never became part of an incident (and request bodies nothing refers to) are removed once older than this, daily, by an active Delivery Worker Trigger using this store (one process a day across a shared PostgreSQL). 0 turns the scheduled cleanup off. Replay keys keep their own, much longer retention.',
    },
    {
      displayName: 'Allowed Delivery Hosts',
      name: 'allowedDeliveryHosts',
      type: 'string',
      default: '',
      placeholder: 'receiver.internal, 10.20.0.0/16, *.corp.example',
      description:
        'Deliveries through this store refuse loopback, private, link-local and other internal addresses (checked before connecting and after every DNS lookup). List here, comma-separated, the host names, *.domains, IP addresses or CIDR ranges they may reach anyway. INCIDENT_INTAKE_OUTBOUND_ALLOW adds entries for the whole n8n instance.',
    },
    {
      displayName: 'Denied Delivery Hosts',
      name: 'deniedDeliveryHosts',
      type: 'string',
      default: '',
      placeholder: 'metadata.google.internal, 203.0.113.0/24',
      description: 'Never reached, whatever is allowed. Same forms as the allowed hosts.',
    },
    {
      displayName: 'Only Allowed Hosts',
      name: 'onlyAllowedHosts',
      type: 'boolean',
      default: false,
      description: 'Whether deliveries may reach only the allowed hosts (public ones included)',
    },
  ];
}

import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { SCHEME_OPTIONS } from '../nodes/shared/options';

/** How one intake source's sender authenticates: scheme and secret; a replaced secret is kept by the store during a rotation. */
export class IncidentIntakeSourceAuthApi implements ICredentialType {
  name = 'incidentIntakeSourceAuthApi';

  displayName = 'Incident Intake Source Auth API';

  documentationUrl = 'https://github.com/intakekit/n8n-nodes-incident-intake/blob/main/docs/n8n.md#credentials';

  icon = 'file:../nodes/IncidentIntakeTrigger/incidentIntake.svg' as const;

  properties: INodeProperties[] = [
    {
      displayName: 'Scheme',
      name: 'scheme',
      type: 'options',
      options: SCHEME_OPTIONS,
      default: 'standard-webhooks',
      description: 'How the sender proves a request is theirs. HMAC schemes are recommended; token, Basic and none are weaker.',
    },
    {
      displayName: 'Secret',
      name: 'secret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { hide: { scheme: ['none'] } },
      description:
        'The shared secret (whsec_… for Standard Webhooks; user:password for Basic). To rotate, replace it with the new secret: with an encryption key in the intake store credential, the store keeps the replaced one live for the grace below.',
    },
    {
      displayName: 'Grace for a Replaced Secret (Hours)',
      name: 'rotationGraceHours',
      type: 'number',
      default: 24,
      typeOptions: { minValue: 0, maxValue: 720 },
      displayOptions: { hide: { scheme: ['none'] } },
      description:
        "When Secret is replaced, the old secret stays live this long so the sender can switch (0: refused at once). Needs the intake store credential's Outbox Encryption Key.",
    },
    {
      displayName: 'Previous Secret',
      name: 'previousSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { hide: { scheme: ['none'] } },
      description: 'Only needed without an encryption key in the store credential: the secret the sender may still use until the time below',
    },
    {
      displayName: 'Previous Secret Valid Until',
      name: 'previousSecretExpiresAt',
      type: 'dateTime',
      default: '',
      displayOptions: { hide: { scheme: ['none'] } },
      description: 'End of the rotation grace period. Empty keeps the previous secret valid until it is removed.',
    },
    {
      displayName: 'Signature or Token Header',
      name: 'header',
      type: 'string',
      default: '',
      placeholder: 'X-Signature',
      displayOptions: { show: { scheme: ['hmac-hex', 'hmac-base64', 'token', 'grafana', 'onemanage', 'hub-sha256', 'stripe'] } },
      description: "Overrides the scheme's default header",
    },
    {
      displayName: 'Timestamp Header',
      name: 'timestampHeader',
      type: 'string',
      default: '',
      displayOptions: { show: { scheme: ['hmac-hex', 'hmac-base64', 'grafana'] } },
      description: 'When set, the timestamp is part of the signed content and is checked against the tolerance',
    },
    {
      displayName: 'Token Query Parameter',
      name: 'queryParam',
      type: 'string',
      default: '',
      displayOptions: { show: { scheme: ['token'] } },
      description: 'Read the token from this query parameter instead of a header',
    },
    {
      displayName: 'Tolerance (Seconds)',
      name: 'toleranceSeconds',
      type: 'number',
      default: 300,
      typeOptions: { minValue: 1, maxValue: 86400 },
      description: 'Allowed clock difference for timestamped schemes',
    },
  ];
}

import { z } from 'zod';
import { INCIDENT_STATUSES, SEVERITIES } from '../incident/canonical-incident';
import { isSecretReference, parseHeaderReference } from '../secrets/secret-reference';
import { displayName, envName, policyTemplateSchema } from './template-fields';

/** Header names that carry credentials: their values would be secrets in the generated files. */
const CREDENTIAL_HEADER = /authorization|token|secret|api[-_]?key|password|cookie|signature/i;

/** A receiver URL without anything secret in it (no user info, no query string). */
const plainReceiverUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
  .refine((text) => {
    const url = new URL(text);
    return url.username === '' && url.password === '' && url.search === '';
  }, 'must not carry credentials or a query string: those would be written into the generated files; sign the requests instead, or give the whole URL as a reference (env:NAME, file:/path)');

/** Or, when the URL itself is a secret (a token in its path), a reference to it, read by the hosts at each attempt. */
const receiverUrl = z.union([plainReceiverUrl, z.string().refine(isSecretReference)]);

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid header name');

const headersSchema = z.record(
  headerName.refine((name) => !CREDENTIAL_HEADER.test(name), 'looks like a credential header: templates hold no secrets; put it under secretHeaders with a reference (env:NAME, file:/path)'),
  z.string(),
);

/**
 * Headers that carry a receiver's token, each as a reference: `env:NAME`, `file:/path`, or either after
 * `Bearer`/`Basic`/`Token` (`Bearer env:ACME_SOC_TOKEN`). The hosts keep them as credentials and read them at each attempt.
 */
const secretHeadersSchema = z.record(
  headerName,
  z.string().refine((value) => parseHeaderReference(value) !== undefined, 'must be a reference such as env:NAME, file:/run/secrets/name or Bearer env:NAME: secrets never go into a template'),
);

const signingTemplateSchema = z.discriminatedUnion(
  'scheme',
  [
    z.strictObject({ scheme: z.literal('standard-webhooks'), secretEnv: envName }),
    z.strictObject({ scheme: z.literal('hmac-hex'), secretEnv: envName, header: z.string().min(1).optional() }),
    z.strictObject({ scheme: z.literal('none') }),
  ],
  { error: 'scheme must be one of standard-webhooks, hmac-hex, none' },
);

const hostList = z.array(z.string().min(1)).optional();

const common = {
  name: displayName.optional(),
  policy: policyTemplateSchema.optional(),
  /** Private or loopback hosts this destination may reach (Node-RED refuses them otherwise): names, `*.domain`, IPs, CIDR. */
  allowHosts: hostList,
  /** Hosts never reached. */
  denyHosts: hostList,
};

export const webhookTemplateSchema = z.strictObject({
  kind: z.literal('webhook'),
  ...common,
  url: receiverUrl,
  method: z.enum(['POST', 'PUT', 'PATCH']).optional(),
  headers: headersSchema.optional(),
  secretHeaders: secretHeadersSchema.optional(),
  excludeAttributes: z.array(z.string().min(1)).optional(),
  bodyTemplate: z.string().min(1).optional(),
  signing: signingTemplateSchema,
});

const incidentIoBase = { kind: z.literal('incident-io'), ...common, baseUrl: plainReceiverUrl.optional() };

export const incidentIoIncidentTemplateSchema = z.strictObject({
  ...incidentIoBase,
  target: z.literal('incident'),
  apiKeyEnv: envName,
  visibility: z.enum(['public', 'private']).optional(),
  mode: z.enum(['standard', 'retrospective', 'test', 'tutorial']).optional(),
  /** Canonical severity → incident.io severity id. */
  severityIds: z.partialRecord(z.enum(SEVERITIES), z.string().min(1)).optional(),
  /** Canonical status → incident.io status id. */
  statusIds: z.partialRecord(z.enum(INCIDENT_STATUSES), z.string().min(1)).optional(),
});

export const incidentIoAlertTemplateSchema = z.strictObject({
  ...incidentIoBase,
  target: z.literal('alert_event'),
  alertSourceConfigId: z.string().min(1),
  alertSourceTokenEnv: envName,
});

export const destinationTemplateSchema = z.discriminatedUnion(
  'kind',
  [webhookTemplateSchema, z.discriminatedUnion('target', [incidentIoIncidentTemplateSchema, incidentIoAlertTemplateSchema], { error: 'target must be incident or alert_event' })],
  { error: 'kind must be webhook or incident-io' },
);

export type WebhookTemplate = z.infer<typeof webhookTemplateSchema>;
export type IncidentIoIncidentTemplate = z.infer<typeof incidentIoIncidentTemplateSchema>;
export type IncidentIoAlertTemplate = z.infer<typeof incidentIoAlertTemplateSchema>;
export type DestinationTemplate = z.infer<typeof destinationTemplateSchema>;

import jsonata from 'jsonata';
import { z } from 'zod';
import { SEVERITIES, INCIDENT_STATUSES } from '../incident/canonical-incident';
import { isSecretReference } from '../secrets/secret-reference';
import { decodeStandardWebhookSecret } from '../signing/standard-webhook-secret';
import { deliveryPolicySchema } from './delivery-policy';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });
/** A receiver URL, or a reference to one (`env:NAME`, `file:/path`) when the URL itself is a secret (a token in its path). */
const httpUrlOrReference = z.string().refine((text) => isSecretReference(text) || httpUrl.safeParse(text).success, 'must be an absolute http(s) URL or a secret reference (env:NAME, file:/path)');
const identity = {
  /** Deliveries and destination state are kept per tenant. */
  tenant: z.string().min(1).default('default'),
  /** Stable: the outbox refers to the destination by this id. */
  id: z.string().min(1).max(200),
  name: z.string().optional(),
  policy: deliveryPolicySchema.prefault({}),
};

function isJsonata(expression: string): boolean {
  try {
    jsonata(expression);
    return true;
  } catch {
    return false;
  }
}

/** An object without `scheme` means the default, Standard Webhooks. */
function defaultScheme(value: unknown): unknown {
  return typeof value === 'object' && value !== null && !('scheme' in value) ? { ...value, scheme: 'standard-webhooks' } : value;
}

const signingSchema = z.preprocess(
  defaultScheme,
  z.discriminatedUnion('scheme', [
    z.object({
      scheme: z.literal('standard-webhooks'),
      /** The secret, or a reference (`env:NAME`, `file:/path`) resolved at each attempt. */
      secret: z.string().refine((secret) => isSecretReference(secret) || decodeStandardWebhookSecret(secret) !== undefined, 'must be a Standard Webhooks secret (whsec_<base64>) or a secret reference'),
    }),
    /** Legacy receivers: hex HMAC-SHA256 of the body in one header. */
    z.object({
      scheme: z.literal('hmac-hex'),
      secret: z.string().refine((secret) => isSecretReference(secret) || secret.length >= 16, 'must be at least 16 characters, or a secret reference'),
      header: z.string().min(1).default('X-Signature'),
    }),
    /** Unsigned: only when chosen explicitly. */
    z.object({ scheme: z.literal('none') }),
  ]),
);

export const webhookDestinationSchema = z.object({
  kind: z.literal('webhook'),
  ...identity,
  url: httpUrlOrReference,
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  /**
   * Sent with every request; values of credential-like headers are redacted from everything stored. A value may
   * be a reference (`env:NAME`, `file:/path`, or `Bearer env:NAME`), resolved at each attempt.
   */
  headers: z.record(z.string(), z.string()).default({}),
  /** Dot paths removed from the incident before it is sent, e.g. `raw`, `labels.internal_note`. */
  excludeAttributes: z.array(z.string().min(1)).default([]),
  /** A JSONata expression over `{type, timestamp, data}`; its result is the JSON body. */
  bodyTemplate: z.string().min(1).refine(isJsonata, 'must be a valid JSONata expression').optional(),
  signing: signingSchema,
});

const severityMapSchema = z.partialRecord(z.enum(SEVERITIES), z.string().min(1));
const statusMapSchema = z.partialRecord(z.enum(INCIDENT_STATUSES), z.string().min(1));

/** Which canonical field fills an incident.io custom field, and as what kind of value. */
const customFieldSchema = z.object({
  customFieldId: z.string().min(1),
  from: z.union([z.enum(['regulatory_refs', 'affected_systems', 'source_url', 'external_id', 'dedupe_key', 'provider']), z.templateLiteral(['label:', z.string()])]),
  as: z.enum(['text', 'link', 'option', 'catalog_entry', 'numeric']).default('text'),
  /** For `option` and `catalog_entry`: canonical value → incident.io id. Values without an entry are left out. */
  ids: z.record(z.string(), z.string()).optional(),
});

const incidentIoBase = {
  kind: z.literal('incident-io'),
  ...identity,
  baseUrl: httpUrl.default('https://api.incident.io'),
};

/** Alert events into an HTTP alert source (incident.io decides when alerts become incidents). */
const incidentIoAlertTarget = z.object({
  ...incidentIoBase,
  target: z.literal('alert_event'),
  alertSourceConfigId: z.string().min(1),
  /** The alert source's own secret token, not an API key. */
  alertSourceToken: z.string().min(1),
});

/** Incidents created and edited through the API. */
const incidentIoIncidentTarget = z.object({
  ...incidentIoBase,
  target: z.literal('incident'),
  apiKey: z.string().min(1),
  visibility: z.enum(['public', 'private']).default('public'),
  mode: z.enum(['standard', 'retrospective', 'test', 'tutorial']).default('standard'),
  /** Canonical severity → incident.io severity id. Missing entries are looked up by name via GET /v1/severities. */
  severityIds: severityMapSchema.default({}),
  /** Canonical severity → incident.io severity name, for the lookup. */
  severityNames: severityMapSchema.default({}),
  /** Canonical status → incident.io incident status id; statuses without an entry are not sent. */
  statusIds: statusMapSchema.default({}),
  incidentTypeId: z.string().min(1).optional(),
  customFields: z.array(customFieldSchema).default([]),
  /** incident.io timestamp id that receives the incident's detection time. */
  detectedAtTimestampId: z.string().min(1).optional(),
  notifyIncidentChannel: z.boolean().default(true),
});

export const incidentIoDestinationSchema = z.discriminatedUnion('target', [incidentIoAlertTarget, incidentIoIncidentTarget]);

export const destinationSchema = z.union([webhookDestinationSchema, incidentIoDestinationSchema]);

export type WebhookDestination = z.output<typeof webhookDestinationSchema>;
export type IncidentIoDestination = z.output<typeof incidentIoDestinationSchema>;
export type IncidentIoAlertDestination = z.output<typeof incidentIoAlertTarget>;
export type IncidentIoIncidentDestination = z.output<typeof incidentIoIncidentTarget>;
export type IncidentIoCustomField = z.output<typeof customFieldSchema>;
export type DestinationConfig = z.output<typeof destinationSchema>;
export type DestinationConfigInput = z.input<typeof destinationSchema>;

/** Extra headers whose values are plainly not credentials; every other extra header value is treated as one. */
const NON_SECRET_HEADERS = new Set(['content-type', 'accept', 'accept-language', 'user-agent', 'cache-control']);

/** `Bearer abc` holds the secret `abc` too: a receiver may echo the bare credential. */
function headerCredentials(value: string): string[] {
  const credential = /^\s*(?:bearer|basic|token)\s+(\S+)\s*$/i.exec(value)?.[1];
  return credential ? [value, credential] : [value];
}

/** Every secret a destination holds: never stored, redacted from attempts, results and errors. */
export function destinationSecrets(destination: DestinationConfig): string[] {
  const secrets: string[] = [];
  if (destination.kind === 'webhook') {
    if (destination.signing.scheme !== 'none') secrets.push(destination.signing.secret);
    for (const [name, value] of Object.entries(destination.headers)) if (!NON_SECRET_HEADERS.has(name.toLowerCase())) secrets.push(...headerCredentials(value));
    if (URL.canParse(destination.url)) {
      const url = new URL(destination.url);
      secrets.push(...url.searchParams.values(), decodeURIComponent(url.password));
    }
  } else if (destination.target === 'alert_event') {
    secrets.push(destination.alertSourceToken);
  } else {
    secrets.push(destination.apiKey);
  }
  return secrets.filter((secret) => secret !== '');
}

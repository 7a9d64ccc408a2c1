import type { SchemeName } from '../../../core/signing';
import { SECRETS } from '../support/secrets';

/**
 * The intake sources every host under test is configured with, one per thing the catalogue attacks. Hosts
 * translate these into their own configuration (Node-RED config nodes, n8n trigger parameters + credentials).
 */
export interface CatalogueSource {
  key: string;
  tenant: string;
  sourceId: string;
  provider: 'generic';
  scheme: SchemeName;
  secret: string;
  header?: string;
  timestampHeader?: string;
  queryParam?: string;
  maxBodyKb: number;
  tenantPerDay?: number;
  sourcePerHour?: number;
  /** High, so the malformed cases never auto-disable the source they share. */
  quarantineDisableCount: number;
  mappingExpression?: string;
}

const base = { provider: 'generic', maxBodyKb: 16, quarantineDisableCount: 10_000 } as const;

export const GRAFANA_TIMESTAMP_HEADER = 'X-Grafana-Alerting-Timestamp';

export const CATALOGUE_SOURCES = {
  sw: { ...base, key: 'sw', tenant: 'hard', sourceId: 'hard-sw', scheme: 'standard-webhooks', secret: SECRETS.standardWebhooks },
  stripe: { ...base, key: 'stripe', tenant: 'hard', sourceId: 'hard-stripe', scheme: 'stripe', secret: SECRETS.stripe },
  pagerduty: { ...base, key: 'pagerduty', tenant: 'hard', sourceId: 'hard-pagerduty', scheme: 'pagerduty', secret: SECRETS.pagerduty },
  hub: { ...base, key: 'hub', tenant: 'hard', sourceId: 'hard-hub', scheme: 'hub-sha256', secret: SECRETS.hub },
  grafana: { ...base, key: 'grafana', tenant: 'hard', sourceId: 'hard-grafana', scheme: 'grafana', secret: SECRETS.grafana, timestampHeader: GRAFANA_TIMESTAMP_HEADER },
  hmacHex: { ...base, key: 'hmacHex', tenant: 'hard', sourceId: 'hard-hmac-hex', scheme: 'hmac-hex', secret: SECRETS.hmacHex },
  hmacBase64: { ...base, key: 'hmacBase64', tenant: 'hard', sourceId: 'hard-hmac-b64', scheme: 'hmac-base64', secret: SECRETS.hmacBase64 },
  token: { ...base, key: 'token', tenant: 'hard', sourceId: 'hard-token', scheme: 'token', secret: SECRETS.token },
  basic: { ...base, key: 'basic', tenant: 'hard', sourceId: 'hard-basic', scheme: 'basic', secret: SECRETS.basic },
  big: { ...base, key: 'big', tenant: 'hard', sourceId: 'hard-big', scheme: 'standard-webhooks', secret: SECRETS.big, maxBodyKb: 4096 },
  budget: { ...base, key: 'budget', tenant: 'hard-budget', sourceId: 'hard-budget', scheme: 'standard-webhooks', secret: SECRETS.budget, tenantPerDay: 2 },
  flood: { ...base, key: 'flood', tenant: 'hard-flood', sourceId: 'hard-flood', scheme: 'standard-webhooks', secret: SECRETS.budget, sourcePerHour: 1 },
  disabled: { ...base, key: 'disabled', tenant: 'hard', sourceId: 'hard-disabled', scheme: 'standard-webhooks', secret: SECRETS.standardWebhooks },
  hostile: {
    ...base,
    key: 'hostile',
    tenant: 'hard',
    sourceId: 'hard-hostile',
    scheme: 'standard-webhooks',
    secret: SECRETS.hostile,
    // A catastrophic regular expression over text from the event: only the mapping worker's hard deadline stops it.
    mappingExpression: '{ "externalId": data.id, "title": $match(data.title, /^(a+)+$/) ? "matched" : data.title, "severity": "high", "status": "open", "detectedAt": $receivedAt }',
  },
} satisfies Record<string, CatalogueSource>;

export type SourceKey = keyof typeof CATALOGUE_SOURCES;
export const sourceList = (): CatalogueSource[] => Object.values(CATALOGUE_SOURCES);

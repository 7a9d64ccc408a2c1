import { signRequest, generateStandardWebhookSecret } from '../../core/signing';
import { openSqliteStore, type Store } from '../../core/store';
import { parseSourceConfig, type SourceConfig, type SourceConfigInput } from '../../core/intake/source-config';
import { handleIntake, type IntakeRequest } from '../../core/intake/handle-intake';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import type { Normaliser } from '../../core/mapping/normaliser';

/** A canonical-format incident payload for the pass-through normaliser. */
export function incidentPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalId: 'INC-1',
    title: 'Database down',
    detectedAt: '2026-11-23T10:00:00.000Z',
    severity: 'high',
    status: 'open',
    affectedSystems: ['db-1'],
    regulatoryRefs: [],
    ...overrides,
  };
}

export interface IntakeHarness {
  store: Store;
  source: SourceConfig;
  secret: string;
  now: number;
  /** Signs (Standard Webhooks) and sends a payload through the core intake. */
  send(payload: unknown, options?: { id?: string; headers?: Record<string, string>; at?: number; raw?: Buffer; source?: SourceConfig }): ReturnType<typeof handleIntake>;
  request(request: IntakeRequest, source?: SourceConfig): ReturnType<typeof handleIntake>;
}

let counter = 0;

export async function intakeHarness(config: Partial<SourceConfigInput> = {}, normaliser: Normaliser = passThroughNormaliser): Promise<IntakeHarness> {
  const store = await openSqliteStore(':memory:');
  const secret = generateStandardWebhookSecret();
  const source = parseSourceConfig({ id: 'src-1', tenant: 'acme', provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] }, ...config });
  const now = Date.parse('2026-11-23T12:00:00.000Z');
  const harness: IntakeHarness = {
    store,
    source,
    secret,
    now,
    request: (request, override) => handleIntake(override ?? source, request, { store, normaliser }),
    send(payload, options = {}) {
      const at = options.at ?? now;
      const raw = options.raw ?? Buffer.from(JSON.stringify(payload));
      const signed = signRequest('standard-webhooks', secret, raw, { id: options.id ?? `msg_${++counter}`, timestamp: Math.floor(at / 1000) });
      return harness.request({ headers: { 'content-type': 'application/json', ...signed, ...options.headers }, rawBody: raw, receivedAt: new Date(at) }, options.source);
    },
  };
  return harness;
}

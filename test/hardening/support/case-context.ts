import { randomBytes } from 'node:crypto';
import { signRequest } from '../../../core/signing';
import type { CaseContext } from '../catalogue/case';
import { CATALOGUE_SOURCES, type CatalogueSource, type SourceKey } from '../catalogue/sources';
import type { IntakeHost } from './intake-host';
import { sendWire } from './raw-http';
import { disableSourceInStore } from './store-snapshot';

/** Parses our JSON answer, if the body is one. */
export function jsonOf(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function caseContext(host: IntakeHost): CaseContext {
  const run = randomBytes(3).toString('hex');
  let counter = 0;
  return {
    host: host.kind,
    path: (source) => host.path(source),
    sign(source: SourceKey, body, options = {}) {
      const config: CatalogueSource = CATALOGUE_SOURCES[source];
      const headers = signRequest(config.scheme, options.secret ?? config.secret, body, {
        ...(options.id !== undefined && { id: options.id }),
        ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
        ...(config.header ? { header: config.header } : {}),
        ...(config.timestampHeader ? { timestampHeader: config.timestampHeader } : {}),
      });
      return Object.entries(headers);
    },
    unique: (label = 'u') => `${label}-${run}-${++counter}`,
    async send(request) {
      const response = await sendWire(host.port, request);
      return { status: response.status, json: jsonOf(response.body) };
    },
    async disableSource(source) {
      const { tenant, sourceId, provider } = CATALOGUE_SOURCES[source];
      await disableSourceInStore(host.storePath, tenant, sourceId, provider);
    },
  };
}

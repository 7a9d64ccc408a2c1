import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import type { NormaliserOptions } from '../../core/mapping/create-normaliser';
import type { MappingConfigInput } from '../../core/mapping/mapping-config';
import type { NormaliseContext, NormaliseResult } from '../../core/mapping/normaliser';

export const RECEIVED_AT = new Date('2024-06-10T12:00:00.000Z');

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'providers', `${name}.json`), 'utf8'));
}

/** Normalises one payload with a fresh normaliser and releases it afterwards. */
export async function normalise(
  config: MappingConfigInput,
  payload: unknown,
  context: Partial<NormaliseContext> = {},
  options: NormaliserOptions = {},
): Promise<NormaliseResult> {
  const normaliser = createNormaliser(config, options);
  try {
    return await normaliser.normalise(payload, { tenant: 'acme', sourceId: 'src-1', provider: config.provider, receivedAt: RECEIVED_AT, ...context });
  } finally {
    await normaliser.close();
  }
}

/** The only candidate of a result; fails loudly when there is not exactly one. */
export function onlyIncident(result: NormaliseResult) {
  if (result.candidates.length !== 1 || result.quarantined.length !== 0 || result.filtered.length !== 0) {
    throw new Error(`expected exactly one candidate, got ${JSON.stringify(result, null, 2)}`);
  }
  return result.candidates[0].incident;
}

import type { CanonicalIncident } from '../incident/canonical-incident';
import { createNormaliser } from './create-normaliser';
import type { NormaliserOptions } from './create-normaliser';
import type { MappingConfigInput } from './mapping-config';
import type { FilteredCandidate, QuarantinedCandidate } from './normaliser';

export interface PreviewResult {
  /** Valid incidents that would go to review. */
  candidates: CanonicalIncident[];
  /** Alerts that would be quarantined, with every reason and what the mapping produced. */
  quarantined: QuarantinedCandidate[];
  /** Valid incidents held back by the severity filter. */
  filtered: FilteredCandidate[];
  mappingVersion: string;
}

export interface PreviewOptions extends NormaliserOptions {
  /** Pinned instance, as an intake source would pass it. */
  instance?: string;
  /** Receive time for mappings that fall back to it; default now. */
  receivedAt?: Date;
}

/**
 * "Test this mapping on a sample": runs a mapping config over one payload exactly as intake would, without
 * storing anything. Used by the CLI `map` command and the n8n / Node-RED editors. An invalid config throws
 * MappingConfigError listing each issue with its position.
 */
export async function previewMapping(payload: unknown, mappingConfig: MappingConfigInput, options: PreviewOptions = {}): Promise<PreviewResult> {
  const normaliser = createNormaliser(mappingConfig, options);
  try {
    const result = await normaliser.normalise(payload, {
      tenant: 'preview',
      sourceId: 'preview',
      provider: mappingConfig.provider,
      ...(options.instance !== undefined ? { instance: options.instance } : {}),
      receivedAt: options.receivedAt ?? new Date(),
    });
    return {
      candidates: result.candidates.map((candidate) => candidate.incident),
      quarantined: result.quarantined,
      filtered: result.filtered,
      mappingVersion: result.mappingVersion,
    };
  } finally {
    await normaliser.close();
  }
}

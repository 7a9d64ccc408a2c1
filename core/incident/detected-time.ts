import { DETECTED_AT_SOURCES } from './canonical-incident';
import type { DetectedAtSource } from './canonical-incident';

/** When an incident was detected and where that time came from, as audit entries and listings show it. */
export interface DetectedTime {
  detectedAt: string;
  /** `unknown` for candidates stored before the source was recorded. */
  detectedAtSource: DetectedAtSource | 'unknown';
}

/**
 * The detected time of a (possibly partial) candidate; empty when it has none, so it spreads into audit
 * details and listings as nothing rather than as nulls.
 */
export function detectedTimeOf(candidate: unknown): DetectedTime | Record<string, never> {
  if (candidate === null || typeof candidate !== 'object') return {};
  const { detectedAt, detectedAtSource } = candidate as Record<string, unknown>;
  if (typeof detectedAt !== 'string') return {};
  const source = DETECTED_AT_SOURCES.find((known) => known === detectedAtSource) ?? 'unknown';
  return { detectedAt, detectedAtSource: source };
}

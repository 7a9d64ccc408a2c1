import type { Clock } from '../../clock';
import type { Severity } from '../../incident/canonical-incident';
import type { AttemptReport } from '../adapters/adapter';
import type { Exchange } from '../adapters/exchange';
import type { IncidentIoIncidentDestination } from '../destination-config';
import { NonRetryableDeliveryError } from '../non-retryable-error';

/** incident.io's out-of-the-box severities, matched by name when no id is configured. */
export const DEFAULT_SEVERITY_NAMES: Record<Severity, string> = {
  critical: 'Critical',
  high: 'Major',
  medium: 'Minor',
  low: 'Minor',
  info: 'Minor',
};

const CACHE_TTL_MS = 15 * 60_000;

export type SeverityResolution = { severityId: string } | { failed: AttemptReport };

/**
 * Canonical severity → incident.io `severity_id`: a configured id wins; otherwise the configured (or default)
 * name is looked up via `GET /v1/severities`, cached for 15 minutes.
 */
export class SeverityResolver {
  private cache?: { idsByName: Map<string, string>; fetchedAt: number };
  /** Concurrent deliveries share one lookup instead of each asking incident.io. */
  private pending?: Promise<{ idsByName: Map<string, string> } | { failed: AttemptReport }>;

  constructor(
    private readonly destination: IncidentIoIncidentDestination,
    private readonly listSeverities: () => Promise<Exchange>,
    private readonly clock: Clock,
  ) {}

  async resolve(severity: Severity): Promise<SeverityResolution> {
    const configured = this.destination.severityIds[severity];
    if (configured) return { severityId: configured };
    const name = this.destination.severityNames[severity] ?? DEFAULT_SEVERITY_NAMES[severity];
    const lookup = await this.idsByName();
    if ('failed' in lookup) return lookup;
    const id = lookup.idsByName.get(name.toLowerCase());
    if (id) return { severityId: id };
    this.cache = undefined;
    throw new NonRetryableDeliveryError('severity_not_found', `incident.io has no severity named "${name}" (for ${severity}); set severityIds or severityNames`);
  }

  private idsByName(): Promise<{ idsByName: Map<string, string> } | { failed: AttemptReport }> {
    if (this.cache && this.clock.now() - this.cache.fetchedAt < CACHE_TTL_MS) return Promise.resolve(this.cache);
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetch(): Promise<{ idsByName: Map<string, string> } | { failed: AttemptReport }> {
    const now = this.clock.now();
    const { json, ...report } = await this.listSeverities();
    if (report.classification.outcome !== 'success') {
      return { failed: { ...report, classification: { ...report.classification, reason: `severity_lookup_${report.classification.reason}` } } };
    }
    this.cache = { idsByName: severitiesByName(json), fetchedAt: now };
    return this.cache;
  }
}

function severitiesByName(json: unknown): Map<string, string> {
  const list = (json as { severities?: unknown } | undefined)?.severities;
  const ids = new Map<string, string>();
  if (!Array.isArray(list)) return ids;
  for (const entry of list) {
    const { id, name } = (entry ?? {}) as { id?: unknown; name?: unknown };
    if (typeof id === 'string' && typeof name === 'string') ids.set(name.toLowerCase(), id);
  }
  return ids;
}

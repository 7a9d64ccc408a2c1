import type { IncidentStatus, Severity } from '../../incident/canonical-incident';
import type { Provider } from '../providers';

/**
 * A provider's built-in mapping. The expression yields one object per incident (or an array of them) whose
 * `severity` and `status` may be the provider's own strings: the tables turn them into canonical values,
 * and the original strings are kept in `raw`.
 */
export interface Preset {
  provider: Provider;
  /** JSONata over the (placeholder-free) payload. */
  expression: string;
  /** Provider value → canonical severity. Keys match case-insensitively. */
  severityTable: Record<string, Severity>;
  /** Provider value → canonical status. Keys match case-insensitively. */
  statusTable: Record<string, IncidentStatus>;
  /** What the sender must be configured to send, for docs and editor help. */
  notes: string;
  /**
   * JSONata yielding the per-alert objects of a batch payload, in the same order as the expression's
   * results. Field overrides, custom fields and regulatory paths are evaluated against these.
   * Omitted for single-incident payloads, where the payload itself is the context.
   */
  alertsExpression?: string;
  /** Sender template variables that arrive literally when they did not resolve; such values count as absent. */
  placeholderPatterns?: RegExp[];
}

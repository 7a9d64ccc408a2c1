/**
 * The JSONata parts of one source's mapping, as plain data so it can be posted to a mapping worker.
 * Type-only module: the worker never loads it at run time.
 */
export interface EvaluationPlan {
  /** Whole mapping: payload → one incident object or an array of them. */
  expression: string;
  /** Per-alert contexts for the per-alert parts below; the payload itself when omitted. */
  alertsExpression?: string;
  /** Canonical field → JSONata evaluated per alert; the result replaces that field. */
  fieldOverrides: Record<string, string>;
  /** Label name → JSONata evaluated per alert; results land in `labels`. */
  customFields: Record<string, string>;
  /** JSONata evaluated per alert; a string or strings become `regulatoryRefs`. */
  regulatoryRefsPath?: string;
  /** JSONata's own time limit per evaluation. */
  timeoutMs: number;
  /** Evaluate with JSONata's interpreter only, never the compiled form (the differential test, diagnosis). */
  interpreterOnly?: boolean;
}

/** Values every mapping can read as `$provider`, `$instance`, `$timezone` and `$receivedAt`. */
export interface EvaluationBindings {
  provider: string;
  instance?: string;
  timezone: string;
  /** ISO 8601 UTC time the event was received. */
  receivedAt: string;
}

import type { Preset } from './preset';

/**
 * The generic input contract for senders without a preset (custom scripts, CI jobs, partner systems).
 * Minimum: `title`, `severity` and `dedup_key` (or `id`). The fields may sit at the top level or inside a
 * Standard Webhooks style envelope `{type, timestamp, data: {...}}`; a top-level array sends several.
 * The event's own time is the first of `detected_at`, `detectedAt`, `created_at`, `createdAt`, `timestamp`,
 * `time` (ISO 8601, or epoch seconds/milliseconds told apart by magnitude); without one, the envelope's
 * `timestamp` (sent-at), and only then the receipt time — each saying so in `detectedAtSource`.
 */
export const genericPreset: Preset = {
  provider: 'generic',
  expression: String.raw`(
  $sentAt := $type($) = "object" and $exists(data) ? $toUtcIso(timestamp);
  $one := function($d) {(
    $own := $toUtcIso($d.detected_at ?: $d.detectedAt ?: $d.created_at ?: $d.createdAt ?: $d.timestamp ?: $d.time, "auto", $timezone);
    {
      "externalId": $exists($d.dedup_key ?: $d.id) ? $string($d.dedup_key ?: $d.id),
      "title": $d.title,
      "description": $d.description,
      "detectedAt": $own ?: $sentAt ?: $receivedAt,
      "detectedAtSource": $own ? "payload" : ($sentAt ? "sent-at" : "received"),
      "eventTime": $toUtcIso($d.event_time, "auto", $timezone) ?: $sentAt,
      "severity": $d.severity,
      "status": $d.status ?: "open",
      "instance": $d.instance,
      "sourceUrl": $d.url ?: $d.source_url,
      "affectedSystems": $d.affected_systems,
      "regulatoryRefs": $d.regulatory_references,
      "labels": $d.labels,
      "raw": {
        "severity": $d.severity,
        "status": $d.status,
        "type": $type($) = "object" ? type
      }
    }
  )};
  $items := $exists(data) ? data : $;
  $type($items) = "array" ? $map($items, $one) : $one($items)
)`,
  severityTable: {
    critical: 'critical',
    sev1: 'critical',
    p1: 'critical',
    fatal: 'critical',
    high: 'high',
    sev2: 'high',
    p2: 'high',
    error: 'high',
    medium: 'medium',
    sev3: 'medium',
    p3: 'medium',
    warning: 'medium',
    warn: 'medium',
    moderate: 'medium',
    low: 'low',
    sev4: 'low',
    p4: 'low',
    info: 'info',
    informational: 'info',
    information: 'info',
    sev5: 'info',
    p5: 'info',
  },
  statusTable: {
    open: 'open',
    firing: 'open',
    triggered: 'open',
    trigger: 'open',
    alerting: 'open',
    problem: 'open',
    new: 'open',
    acknowledged: 'acknowledged',
    acknowledge: 'acknowledged',
    ack: 'acknowledged',
    investigating: 'acknowledged',
    'in progress': 'acknowledged',
    'in-progress': 'acknowledged',
    resolved: 'resolved',
    resolve: 'resolved',
    recovered: 'resolved',
    closed: 'resolved',
    ok: 'resolved',
  },
  notes:
    'POST JSON with at least title, severity (critical|high|medium|low|info) and dedup_key; optional status (open|acknowledged|resolved), ' +
    'detected_at (ISO 8601 or epoch seconds/milliseconds; also read as detectedAt, created_at, createdAt, timestamp or time), event_time (ISO 8601, orders late events), description, url, instance, affected_systems[], regulatory_references[], labels{}. ' +
    'Sign with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).',
};

import type { Preset } from './preset';
import { grafanaPreset } from './grafana';

/**
 * Prometheus Alertmanager `webhook_config` (payload version 4). One request carries a group of alerts;
 * each alert's `fingerprint` is its identity. Alertmanager repeats whole groups (every 4 h by default):
 * the repeats map to the same dedupe keys.
 */
export const alertmanagerPreset: Preset = {
  provider: 'alertmanager',
  expression: String.raw`$map(alerts, function($a) {{
  "externalId": $a.fingerprint,
  "title": $a.annotations.summary ?: $a.labels.alertname,
  "description": $a.annotations.description,
  "detectedAt": $toUtcIso($a.startsAt),
  "severity": $a.labels.severity,
  "status": $a.status,
  "instance": $hostOf($$.externalURL),
  "sourceUrl": $a.generatorURL,
  "affectedSystems": [$a.labels.service ?: $a.labels.job],
  "labels": $merge([$a.labels, {
    "runbookUrl": $a.annotations.runbook_url,
    "resolvedAt": $a.status = "resolved" ? $toUtcIso($a.endsAt)
  }]),
  "raw": {
    "severity": $a.labels.severity,
    "status": $a.status
  }
}})`,
  alertsExpression: 'alerts',
  severityTable: grafanaPreset.severityTable,
  statusTable: { firing: 'open', resolved: 'resolved' },
  notes:
    'A receiver with webhook_configs: url = the intake URL, http_config with a bearer token or basic auth, send_resolved: true; ' +
    'alerting rules need a `severity` label.',
};

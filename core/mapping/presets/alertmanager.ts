import type { Preset } from './preset';
import { grafanaPreset } from './grafana';

/**
 * Prometheus Alertmanager `webhook_config` (payload version 4). One request carries a group of alerts;
 * each alert's `fingerprint` is its identity. Alertmanager repeats whole groups (every 4 h by default):
 * the repeats map to the same dedupe keys. Alerts without a fingerprint (very old releases, some relays) get the
 * sorted label set; a `generatorURL` that is empty or relative (rulers without an external URL) is dropped.
 */
export const alertmanagerPreset: Preset = {
  provider: 'alertmanager',
  expression: String.raw`(
  $url := function($u) { $hostOf($u) ? $u };
  $labelKey := function($l) { $join($keys($l)^($).($ & "=" & $string($lookup($l, $))), ",") };
  $one := function($a) {{
    "externalId": $a.fingerprint ?: $labelKey($a.labels),
    "title": $a.annotations.summary ?: $a.labels.alertname,
    "description": $a.annotations.description,
    "detectedAt": $toUtcIso($a.startsAt),
    "eventTime": $toUtcIso($a.status = "resolved" ? $a.endsAt : $a.startsAt),
    "severity": $a.labels.severity,
    "status": $a.status,
    "instance": $hostOf($$.externalURL),
    "sourceUrl": $url($a.generatorURL),
    "affectedSystems": [$a.labels.service ?: $a.labels.job],
    "labels": $merge([$a.labels, {
      "runbookUrl": $a.annotations.runbook_url,
      "resolvedAt": $a.status = "resolved" ? $toUtcIso($a.endsAt)
    }]),
    "raw": {
      "severity": $a.labels.severity,
      "status": $a.status
    }
  }};
  $exists(alerts) ? ($count(alerts) = 0 ? [] : $map(alerts, $one))
    : $error("not an Alertmanager webhook: alerts[] is missing")
)`,
  alertsExpression: 'alerts',
  severityTable: grafanaPreset.severityTable,
  statusTable: { firing: 'open', resolved: 'resolved' },
  notes:
    'A receiver with webhook_configs: url = the intake URL, http_config with a bearer token or basic auth, send_resolved: true; ' +
    'alerting rules need a `severity` label.',
};

import type { Preset } from './preset';

/**
 * Grafana Alerting webhook contact point. One request carries a group of alerts; each alert (its
 * `fingerprint` is the identity) becomes one candidate. Severity comes from the alert's `severity` label.
 */
export const grafanaPreset: Preset = {
  provider: 'grafana',
  expression: String.raw`$map(alerts, function($a) {{
  "externalId": $a.fingerprint,
  "title": $a.annotations.summary ?: $a.labels.alertname,
  "description": $a.annotations.description,
  "detectedAt": $toUtcIso($a.startsAt),
  "severity": $a.labels.severity,
  "status": $a.status,
  "instance": $hostOf($$.externalURL),
  "sourceUrl": $a.panelURL ?: $a.dashboardURL ?: $a.generatorURL,
  "affectedSystems": [$a.labels.service],
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
  severityTable: {
    critical: 'critical',
    page: 'critical',
    emergency: 'critical',
    p1: 'critical',
    high: 'high',
    error: 'high',
    major: 'high',
    p2: 'high',
    medium: 'medium',
    warning: 'medium',
    warn: 'medium',
    p3: 'medium',
    low: 'low',
    minor: 'low',
    p4: 'low',
    info: 'info',
    informational: 'info',
    none: 'info',
    p5: 'info',
  },
  statusTable: { firing: 'open', resolved: 'resolved' },
  notes:
    'A contact point of type Webhook with the intake URL and optional HMAC signing (X-Grafana-Alerting-Signature); ' +
    'alert rules need a `severity` label (critical, high/error, warning, low, info).',
};

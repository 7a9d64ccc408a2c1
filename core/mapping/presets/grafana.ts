import type { Preset } from './preset';

/**
 * Grafana Alerting webhook contact point. One request carries a group of alerts; each alert (its
 * `fingerprint` is the identity; Grafana versions that send none get the sorted label set) becomes one
 * candidate. Severity comes from the alert's `severity` label. Legacy dashboard alerting (Grafana ≤ 10,
 * `{ruleId, ruleName, state, evalMatches, tags}`) maps one candidate per rule: `alerting`/`no_data` open it,
 * `ok` resolves it, `pending`/`paused` yield none; severity from `tags.severity`.
 */
export const grafanaPreset: Preset = {
  provider: 'grafana',
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
    "sourceUrl": $url($a.panelURL) ?: $url($a.dashboardURL) ?: $url($a.generatorURL),
    "affectedSystems": [$a.labels.service],
    "labels": $merge([$a.labels, {
      "runbookUrl": $a.annotations.runbook_url,
      "resolvedAt": $a.status = "resolved" ? $toUtcIso($a.endsAt)
    }]),
    "raw": {
      "severity": $a.labels.severity,
      "status": $a.status
    }
  }};
  $legacy := function() {(
    $state := $lowercase(state);
    $state in ["pending", "paused"] ? [] : {
      "externalId": "rule-" & $string(ruleId),
      "title": ruleName ?: $replace(title, /^\[[^\]]*\]\s*/, ""),
      "description": message,
      "detectedAt": $receivedAt,
      "severity": tags.severity,
      "status": state,
      "instance": $hostOf(ruleUrl),
      "sourceUrl": $url(ruleUrl),
      "affectedSystems": [tags.service],
      "labels": $merge([tags, {
        "dashboardId": $exists(dashboardId) ? $string(dashboardId),
        "panelId": $exists(panelId) ? $string(panelId),
        "orgId": $exists(orgId) ? $string(orgId),
        "metrics": $exists(evalMatches.metric) ? $join(evalMatches.metric, ", ")
      }]),
      "raw": {
        "severity": tags.severity,
        "status": state
      }
    }
  )};
  $exists(alerts) ? ($count(alerts) = 0 ? [] : $map(alerts, $one))
    : $exists(ruleId) and $exists(state) ? $legacy()
    : $error("not a Grafana alerting webhook: neither alerts[] nor a legacy ruleId/state")
)`,
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
  statusTable: { firing: 'open', resolved: 'resolved', alerting: 'open', no_data: 'open', ok: 'resolved' },
  notes:
    'A contact point of type Webhook with the intake URL and optional HMAC signing (X-Grafana-Alerting-Signature); ' +
    'alert rules need a `severity` label (critical, high/error, warning, low, info).',
};

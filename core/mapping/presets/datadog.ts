import type { Preset } from './preset';

/**
 * Datadog monitor notifications through the Webhooks integration. Every value arrives as a string, and
 * template variables that did not resolve arrive literally (`$ALERT_PRIORITY`) and count as absent.
 * The default payload has no cycle key or priority: status and severity then come from the title prefix
 * (`[Triggered on {...}]`, `[P1]`), and each event gets its own id, so trigger and recovery cannot be
 * linked. The custom payload in docs/providers.md sends `alert_cycle_key`, the best identity (`aggreg_key`, when a
 * custom payload sends it instead, is stable per monitor and group). Without a transition, `alert_type`
 * (error/warning/info/success) gives status and severity.
 */
export const datadogPreset: Preset = {
  provider: 'datadog',
  expression: String.raw`(
  $transitions := ["Recovered", "Re-Triggered", "Triggered", "Re-Warn", "Warn", "Re-No Data", "No Data", "Renotify"];
  $transition := alert_transition ?: $filter($transitions, function($t) { $contains(title, "[" & $t) })[0];
  $titlePriority := $match(title, /^\[(P[1-5])\]/).groups[0];
  $status := $transition ?: alert_type;
  $severity := alert_priority ?: $titlePriority ?: $status;
  $scope := alert_scope ?: ($contains(title, " on {") ? $substringBefore($substringAfter(title, " on {"), "}]"));
  {
    "externalId": alert_cycle_key ?: aggreg_key ?: id,
    "title": alert_title ?: $replace(title, /^(\[[^\]]*\]\s*)+/, ""),
    "description": body ? $trim($replace($replace(body, "%%%", ""), /@webhook-[A-Za-z0-9_-]+/, "")),
    "detectedAt": $toUtcIso(date ?: last_updated),
    "eventTime": $toUtcIso(last_updated ?: date),
    "severity": $severity,
    "status": $status,
    "instance": org.id,
    "sourceUrl": $hostOf(link) ? link,
    "affectedSystems": [hostname, $split($scope, ",")[$contains($, "service:")].$substringAfter($, "service:")],
    "labels": {
      "monitorId": alert_id,
      "eventType": event_type,
      "alertType": alert_type,
      "org": org.name,
      "scope": $scope,
      "eventTitle": title
    },
    "raw": {
      "severity": $severity,
      "status": $status
    }
  }
)`,
  severityTable: {
    p1: 'critical',
    p2: 'high',
    p3: 'medium',
    p4: 'low',
    p5: 'info',
    triggered: 'high',
    're-triggered': 'high',
    renotify: 'high',
    warn: 'medium',
    're-warn': 'medium',
    'no data': 'low',
    're-no data': 'low',
    recovered: 'info',
    error: 'high',
    warning: 'medium',
    info: 'info',
    success: 'info',
  },
  statusTable: {
    triggered: 'open',
    're-triggered': 'open',
    renotify: 'open',
    warn: 'open',
    're-warn': 'open',
    'no data': 'open',
    're-no data': 'open',
    recovered: 'resolved',
    error: 'open',
    warning: 'open',
    info: 'open',
    success: 'resolved',
  },
  placeholderPatterns: [/^\$[A-Z][A-Z0-9_]*(?:\[[^\]]*\])?$/],
  notes:
    'Webhooks integration entry with the intake URL, a token in "Custom Headers", and the custom payload from docs/providers.md ' +
    '(alert_cycle_key, alert_transition, alert_priority, …); mention @webhook-<name> in the monitor message.',
};

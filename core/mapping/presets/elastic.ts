import type { Preset } from './preset';

/**
 * Elastic Security detection rules with a Webhook connector action. The body is a template the user writes
 * (docs/providers.md): rule fields plus `alerts` = `context.alerts`, whose fields may arrive flattened
 * (`"kibana.alert.uuid"`) or nested; `$field` reads both. One candidate per alert.
 */
export const elasticPreset: Preset = {
  provider: 'elastic',
  expression: String.raw`$map(alerts, function($a) {(
  $get := function($path) { $field($a, $path) };
  $severity := $get("kibana.alert.severity") ?: $$.rule.severity;
  $status := $get("kibana.alert.workflow_status") ?: "open";
  {
    "externalId": $get("kibana.alert.uuid"),
    "title": $get("kibana.alert.rule.name") ?: $$.rule.name,
    "description": $get("kibana.alert.reason"),
    "detectedAt": $toUtcIso($get("@timestamp") ?: $get("kibana.alert.original_time")),
    "severity": $severity,
    "status": $status,
    "instance": $hostOf($$.rule.url ?: $$.results_link),
    "sourceUrl": $$.results_link ?: $$.rule.url,
    "affectedSystems": [$get("host.name")],
    "labels": {
      "ruleId": $$.rule.rule_id ?: $get("kibana.alert.rule.rule_id"),
      "riskScore": $exists($get("kibana.alert.risk_score")) ? $string($get("kibana.alert.risk_score")),
      "user": $get("user.name"),
      "sourceIp": $get("source.ip"),
      "tags": $exists($get("tags")) ? $join($get("tags"), ", "),
      "originalTime": $toUtcIso($get("kibana.alert.original_time"))
    },
    "raw": {
      "severity": $severity,
      "status": $status
    }
  }
)})`,
  alertsExpression: 'alerts',
  severityTable: { critical: 'critical', high: 'high', medium: 'medium', low: 'low' },
  statusTable: { open: 'open', acknowledged: 'acknowledged', 'in-progress': 'acknowledged', closed: 'resolved' },
  notes:
    'A Webhook connector (POST, header token or Basic auth) attached to the detection rule, with the body template from ' +
    'docs/providers.md; it must include "alerts": {{{context.alerts}}}.',
};

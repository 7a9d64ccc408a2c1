import type { Preset } from './preset';

/**
 * Elastic Security detection rules with a Webhook connector action. The body is a template the user writes
 * (docs/providers.md): rule fields plus `alerts` = `context.alerts` (or the whole `context` object), whose
 * fields may arrive flattened (`"kibana.alert.uuid"`) or nested; `$field` reads both. 7.x signals
 * (`signal.rule.*`, `signal.status`, the document `_id`) are read when `kibana.alert.*` is absent. One
 * candidate per alert; an empty `alerts` list yields none.
 */
export const elasticPreset: Preset = {
  provider: 'elastic',
  expression: String.raw`(
  $alerts := $exists(alerts) ? alerts : context.alerts;
  $rule := function($k) { $lookup($$.rule, $k) ?: $lookup($$.context.rule, $k) };
  $link := $$.results_link ?: $$.context.results_link;
  $exists($alerts) ? () : $error("no alerts in the body: the Webhook connector body must include an \"alerts\" field rendered from context.alerts (docs/providers/elastic.md)");
  $count($alerts) = 0 ? [] : $map($alerts, function($a) {(
    $get := function($path) { $field($a, $path) };
    $severity := $get("kibana.alert.severity") ?: $get("signal.rule.severity") ?: $rule("severity");
    $status := $get("kibana.alert.workflow_status") ?: $get("signal.status") ?: "open";
    $risk := $get("kibana.alert.risk_score") ?: $get("signal.rule.risk_score");
    $tags := $get("tags") ?: $get("kibana.alert.rule.tags") ?: $get("signal.rule.tags");
    $original := $get("kibana.alert.original_time") ?: $get("signal.original_time");
    {
      "externalId": $get("kibana.alert.uuid") ?: $a._id,
      "title": $get("kibana.alert.rule.name") ?: $get("signal.rule.name") ?: $rule("name"),
      "description": $get("kibana.alert.reason") ?: $get("signal.reason"),
      "detectedAt": $toUtcIso($get("@timestamp") ?: $original),
      "eventTime": $toUtcIso($get("kibana.alert.workflow_status_updated_at") ?: $get("@timestamp")),
      "severity": $severity,
      "status": $status,
      "instance": $hostOf($rule("url") ?: $link),
      "sourceUrl": $hostOf($link) ? $link : $hostOf($rule("url")) ? $rule("url"),
      "affectedSystems": [$get("host.name")],
      "labels": {
        "ruleId": $rule("rule_id") ?: $get("kibana.alert.rule.rule_id") ?: $get("signal.rule.rule_id"),
        "riskScore": $exists($risk) ? $string($risk),
        "user": $get("user.name"),
        "sourceIp": $get("source.ip"),
        "tags": $exists($tags) ? $join($tags, ", "),
        "originalTime": $toUtcIso($original)
      },
      "raw": {
        "severity": $severity,
        "status": $status
      }
    }
  )})
)`,
  alertsExpression: '$exists(alerts) ? alerts : context.alerts',
  severityTable: { critical: 'critical', high: 'high', medium: 'medium', low: 'low' },
  statusTable: { open: 'open', acknowledged: 'acknowledged', 'in-progress': 'acknowledged', closed: 'resolved' },
  notes:
    'A Webhook connector (POST, header token or Basic auth) attached to the detection rule, with the body template from ' +
    'docs/providers.md; it must include "alerts": {{{context.alerts}}}.',
};

import type { Preset } from './preset';

/**
 * ServiceNow incident records: a Table API record (`{result: {...}}`, references as `{link, value}`, or
 * `{display_value, value}` with `sysparm_display_value=all`) or the flat body of the documented business
 * rule (docs/providers.md). Codes and dates use the stored value (`opened_at` is `YYYY-MM-DD hh:mm:ss` in
 * UTC; display values are in the viewer's zone); names of referenced records use the display value.
 * Codes may be strings or numbers; outbound REST message variables that did not resolve (`${cmdb_ci}`) count
 * as absent. Older incident states 4/5 (Awaiting User Info/Evidence) count as acknowledged.
 */
export const servicenowPreset: Preset = {
  provider: 'servicenow',
  expression: String.raw`(
  $r := $exists(result) ? result : $;
  $value := function($v) { $type($v) = "object" ? ($v.value ?: $v.display_value) : $v };
  $display := function($v) { $type($v) = "object" ? ($v.display_value ?: $v.value) : $v };
  $id := $value($r.sys_id);
  $priority := $value($r.priority);
  $state := $value($r.state) ?: $value($r.incident_state);
  $host := $hostOf($r.instance_url) ?: $hostOf(($r.*.link)[0]);
  $class := $value($r.sys_class_name);
  $table := $class and $match($class, /^[a-z][a-z0-9_]*$/) ? $class : "incident";
  {
    "externalId": $id,
    "title": $value($r.short_description),
    "description": $value($r.description),
    "detectedAt": $toUtcIso($value($r.opened_at) ?: $value($r.sys_created_on), "auto", "UTC"),
    "eventTime": $toUtcIso($value($r.sys_updated_on), "auto", "UTC"),
    "severity": $priority,
    "status": $state,
    "instance": $host,
    "sourceUrl": $host and $id ? "https://" & $host & "/" & $table & ".do?sys_id=" & $id,
    "affectedSystems": [$display($r.cmdb_ci), $display($r.business_service)],
    "labels": {
      "number": $value($r.number),
      "category": $value($r.category),
      "assignmentGroup": $display($r.assignment_group),
      "correlationId": $value($r.correlation_id)
    },
    "raw": {
      "severity": $display($r.priority),
      "status": $display($r.state) ?: $display($r.incident_state),
      "impact": $display($r.impact),
      "urgency": $display($r.urgency)
    }
  }
)`,
  severityTable: {
    '1': 'critical',
    '2': 'high',
    '3': 'medium',
    '4': 'low',
    '5': 'info',
    '1 - critical': 'critical',
    '2 - high': 'high',
    '3 - moderate': 'medium',
    '4 - low': 'low',
    '5 - planning': 'info',
    critical: 'critical',
    high: 'high',
    moderate: 'medium',
    low: 'low',
    planning: 'info',
  },
  placeholderPatterns: [/^\$\{[A-Za-z_][A-Za-z0-9_.]*\}$/],
  statusTable: {
    '1': 'open',
    '2': 'acknowledged',
    '3': 'acknowledged',
    '4': 'acknowledged',
    '5': 'acknowledged',
    '6': 'resolved',
    '7': 'resolved',
    '8': 'resolved',
    new: 'open',
    'in progress': 'acknowledged',
    'on hold': 'acknowledged',
    active: 'acknowledged',
    'awaiting problem': 'acknowledged',
    'awaiting user info': 'acknowledged',
    'awaiting evidence': 'acknowledged',
    resolved: 'resolved',
    closed: 'resolved',
    canceled: 'resolved',
    cancelled: 'resolved',
  },
  notes:
    'Either an outbound REST message posting the Table API record ({"result": {...}}), or the business rule in docs/providers.md ' +
    '(after insert/update on incident) posting a flat JSON body with an HMAC signature header. ' +
    'Priority 1–5 gives severity; state 1/2/3/6/7/8 gives status.',
};

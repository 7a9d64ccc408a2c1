import type { Preset } from './preset';

/**
 * ServiceNow incident records: a Table API record (`{result: {...}}`, references as `{link, value}` or
 * `{display_value, value}`) or the flat body of the documented business rule (docs/providers.md).
 * `opened_at` is `YYYY-MM-DD hh:mm:ss` in UTC in both.
 */
export const servicenowPreset: Preset = {
  provider: 'servicenow',
  expression: String.raw`(
  $r := $exists(result) ? result : $;
  $ref := function($v) { $type($v) = "object" ? ($v.display_value ?: $v.value) : $v };
  $id := $ref($r.sys_id);
  $state := $ref($r.state) ?: $ref($r.incident_state);
  $host := $hostOf($r.instance_url) ?: $hostOf($r.*.link[0]);
  {
    "externalId": $id,
    "title": $ref($r.short_description),
    "description": $ref($r.description),
    "detectedAt": $toUtcIso($ref($r.opened_at) ?: $ref($r.sys_created_on), "auto", "UTC"),
    "severity": $ref($r.priority),
    "status": $state,
    "instance": $host,
    "sourceUrl": $host and $id ? "https://" & $host & "/" & ($ref($r.sys_class_name) ?: "incident") & ".do?sys_id=" & $id,
    "affectedSystems": [$ref($r.cmdb_ci), $ref($r.business_service)],
    "labels": {
      "number": $ref($r.number),
      "category": $ref($r.category),
      "assignmentGroup": $ref($r.assignment_group),
      "correlationId": $ref($r.correlation_id)
    },
    "raw": {
      "severity": $ref($r.priority),
      "status": $state,
      "impact": $ref($r.impact),
      "urgency": $ref($r.urgency)
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
  statusTable: {
    '1': 'open',
    '2': 'acknowledged',
    '3': 'acknowledged',
    '6': 'resolved',
    '7': 'resolved',
    '8': 'resolved',
    new: 'open',
    'in progress': 'acknowledged',
    'on hold': 'acknowledged',
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

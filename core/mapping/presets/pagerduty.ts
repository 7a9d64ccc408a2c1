import type { Preset } from './preset';

/**
 * PagerDuty v3 webhook subscriptions. Incident events (`incident.triggered|acknowledged|unacknowledged|
 * resolved|reopened|escalated|priority_updated|reassigned|delegated|…`) carry the whole incident in `event.data`
 * (`data.type` "incident"). Events whose data is something else (`incident_note`, `status_update`,
 * `incident_responder`, workflow and field-value events, `service.*`, the `pagey.ping` test event) describe
 * no incident state and yield no candidate. v1/v2 webhooks (`{messages: [...]}`, retired by PagerDuty) are
 * refused with a reason naming the format.
 */
export const pagerdutyPreset: Preset = {
  provider: 'pagerduty',
  expression: String.raw`(
  $exists(messages) and $not($exists(event)) ? $error("PagerDuty v1/v2 webhook (messages[]) is not supported: create a v3 webhook subscription");
  $exists(event) ? () : $error("not a PagerDuty v3 webhook: the body has no event object");
  $d := event.data;
  $isIncident := $exists($d.type) ? $d.type = "incident" : (event.resource_type = "incident" and $not($exists($d.incident)));
  $severity := $d.priority.summary ?: $d.urgency;
  $not($isIncident) ? [] : {
    "externalId": $d.id,
    "title": $d.title,
    "detectedAt": $toUtcIso($d.created_at),
    "eventTime": $toUtcIso(event.occurred_at),
    "severity": $severity,
    "status": $d.status,
    "instance": $hostOf($d.html_url),
    "sourceUrl": $hostOf($d.html_url) ? $d.html_url,
    "affectedSystems": [$d.service.summary],
    "labels": {
      "incidentNumber": $exists($d.number) ? $string($d.number),
      "incidentKey": $d.incident_key,
      "urgency": $d.urgency,
      "escalationPolicy": $d.escalation_policy.summary,
      "teams": $exists($d.teams.summary) ? $join($d.teams.summary, ", "),
      "eventType": event.event_type
    },
    "raw": {
      "severity": $severity,
      "status": $d.status,
      "priority": $d.priority.summary,
      "urgency": $d.urgency,
      "event": event.event_type
    }
  }
)`,
  severityTable: {
    p1: 'critical',
    p2: 'high',
    p3: 'medium',
    p4: 'low',
    p5: 'info',
    'sev-1': 'critical',
    'sev-2': 'high',
    'sev-3': 'medium',
    'sev-4': 'low',
    'sev-5': 'info',
    sev1: 'critical',
    sev2: 'high',
    sev3: 'medium',
    sev4: 'low',
    sev5: 'info',
    high: 'high',
    low: 'low',
  },
  statusTable: { triggered: 'open', acknowledged: 'acknowledged', resolved: 'resolved' },
  notes:
    'A v3 webhook subscription (Integrations → Generic Webhooks (v3)) for incident.* events, with the signing secret ' +
    '(X-PagerDuty-Signature). Severity is the incident priority (P1–P5), or the urgency when no priority is set.',
};

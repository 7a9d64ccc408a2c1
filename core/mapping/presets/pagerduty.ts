import type { Preset } from './preset';

/**
 * PagerDuty v3 webhook subscriptions. Incident events (`incident.triggered|acknowledged|unacknowledged|
 * resolved|reopened|escalated|priority_updated|…`) carry the incident in `event.data`. Note, status-update,
 * responder and service events describe no incident state and yield no candidate.
 */
export const pagerdutyPreset: Preset = {
  provider: 'pagerduty',
  expression: String.raw`(
  $d := event.data;
  $noIncidentState := event.resource_type = "service" or $exists($d.incident);
  $severity := $d.priority.summary ?: $d.urgency;
  $noIncidentState ? [] : {
    "externalId": $d.id,
    "title": $d.title,
    "detectedAt": $toUtcIso($d.created_at),
    "severity": $severity,
    "status": $d.status,
    "instance": $hostOf($d.html_url),
    "sourceUrl": $d.html_url,
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
    high: 'high',
    low: 'low',
  },
  statusTable: { triggered: 'open', acknowledged: 'acknowledged', resolved: 'resolved' },
  notes:
    'A v3 webhook subscription (Integrations → Generic Webhooks (v3)) for incident.* events, with the signing secret ' +
    '(X-PagerDuty-Signature). Severity is the incident priority (P1–P5), or the urgency when no priority is set.',
};

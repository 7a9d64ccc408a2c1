import type { CanonicalIncident } from '../../incident/canonical-incident';

const PROVIDER_LABELS: Record<string, string> = {
  jira: 'Jira',
  servicenow: 'ServiceNow',
  pagerduty: 'PagerDuty',
  splunk: 'Splunk',
  sentinel: 'Microsoft Sentinel',
  elastic: 'Elastic',
  datadog: 'Datadog',
  grafana: 'Grafana',
  alertmanager: 'Alertmanager',
  opsgenie: 'Opsgenie',
  zabbix: 'Zabbix',
  onemanage: 'OneManage',
  nagios: 'Nagios',
  icinga: 'Icinga',
};

export function providerLabel(provider: string): string {
  return PROVIDER_LABELS[provider] ?? provider;
}

/** `2024-06-10T08:39:58.456Z` → `2024-06-10T08:39:58Z`: people read seconds, not milliseconds. */
export function toSeconds(instant: string): string {
  return instant.replace(/\.\d+Z$/, 'Z');
}

/** The sender's own severity word (e.g. Jira's `Highest`), when the mapping kept it. */
function rawSeverity(incident: CanonicalIncident): string | undefined {
  return incident.raw.severity ?? incident.raw.priority;
}

/** Markdown for an alert event: where it came from, when, what it affects, which regulations apply. */
export function alertDescription(incident: CanonicalIncident): string {
  const raw = rawSeverity(incident);
  const lines = [`**Source:** ${providerLabel(incident.provider)} ${incident.externalId}${raw ? ` (${raw})` : ''}`, `**Detected:** ${toSeconds(incident.detectedAt)}`];
  if (incident.affectedSystems.length > 0) lines.push(`**Affected:** ${incident.affectedSystems.join(', ')}`);
  if (incident.regulatoryRefs.length > 0) lines.push(`**Regulatory:** ${incident.regulatoryRefs.join(', ')}`);
  const text = lines.join('\n');
  return incident.description ? `${text}\n\n${incident.description}` : text;
}

/** One paragraph for an incident's summary. */
export function incidentSummary(incident: CanonicalIncident): string {
  const sentences = [`Detected ${toSeconds(incident.detectedAt)} via ${providerLabel(incident.provider)} ${incident.externalId}.`];
  if (incident.affectedSystems.length > 0) sentences.push(`Affected: ${incident.affectedSystems.join(', ')}.`);
  if (incident.regulatoryRefs.length > 0) sentences.push(`Regulatory: ${incident.regulatoryRefs.join(', ')}.`);
  if (incident.sourceUrl) sentences.push(`Source: ${incident.sourceUrl}`);
  return sentences.join(' ');
}

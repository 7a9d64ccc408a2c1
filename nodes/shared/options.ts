import type { INodePropertyOptions } from 'n8n-workflow';
import { SEVERITIES } from '../../core/incident/canonical-incident';
import { PROVIDERS } from '../../core/mapping/providers';
import { SCHEME_NAMES } from '../../core/signing';

const SCHEME_LABELS: Record<(typeof SCHEME_NAMES)[number], [string, string]> = {
  'standard-webhooks': ['Standard Webhooks', 'webhook-id/timestamp/signature headers (Svix and others)'],
  stripe: ['Stripe-Style', 't=…,v1=… signature header'],
  pagerduty: ['PagerDuty v3', 'X-PagerDuty-Signature: v1=…'],
  'hub-sha256': ['Hub SHA-256 (Jira, GitHub)', 'X-Hub-Signature(-256): sha256=…'],
  grafana: ['Grafana Alerting', 'X-Grafana-Alerting-Signature'],
  onemanage: ['OneManage', 'X-OneManage-Signature: hex HMAC of the body'],
  'hmac-hex': ['HMAC-SHA256 (Hex)', 'Hex HMAC of the body in a header'],
  'hmac-base64': ['HMAC-SHA256 (Base64)', 'Base64 HMAC of the body in a header (ServiceNow scripts)'],
  token: ['Shared Token (Weaker)', 'A token in a header or query parameter'],
  basic: ['Basic Auth (Weaker)', 'user:password in the Authorization header'],
  none: ['None (Unauthenticated)', 'Accepts anything: only behind another gate'],
};

export const SCHEME_OPTIONS: INodePropertyOptions[] = SCHEME_NAMES.map((value) => ({
  name: SCHEME_LABELS[value][0],
  value,
  description: SCHEME_LABELS[value][1],
}));

const PROVIDER_LABELS: Record<(typeof PROVIDERS)[number], string> = {
  jira: 'Jira',
  servicenow: 'ServiceNow',
  pagerduty: 'PagerDuty',
  splunk: 'Splunk',
  sentinel: 'Microsoft Sentinel',
  elastic: 'Elastic Security',
  datadog: 'Datadog',
  grafana: 'Grafana',
  alertmanager: 'Alertmanager',
  opsgenie: 'Opsgenie',
  zabbix: 'Zabbix',
  onemanage: 'OneManage',
  nagios: 'Nagios Core',
  icinga: 'Icinga 2',
  generic: 'Generic (Canonical Fields)',
};

export const PROVIDER_OPTIONS: INodePropertyOptions[] = PROVIDERS.map((value) => ({ name: PROVIDER_LABELS[value], value }));

const title = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

export const SEVERITY_OPTIONS: INodePropertyOptions[] = SEVERITIES.map((value) => ({ name: title(value), value }));

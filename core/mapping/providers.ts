/** Every sender with a built-in preset. `generic` is for anything else that follows the documented contract. */
export const PROVIDERS = [
  'jira',
  'servicenow',
  'pagerduty',
  'splunk',
  'sentinel',
  'elastic',
  'datadog',
  'grafana',
  'alertmanager',
  'opsgenie',
  'zabbix',
  'onemanage',
  'nagios',
  'icinga',
  'generic',
] as const;

export type Provider = (typeof PROVIDERS)[number];

export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

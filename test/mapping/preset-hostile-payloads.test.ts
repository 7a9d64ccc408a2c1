import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../core/mapping/providers';
import { fixture, normalise } from './support';

const FIXTURE: Record<(typeof PROVIDERS)[number], string> = {
  jira: 'jira.issue_created',
  servicenow: 'servicenow.incident',
  pagerduty: 'pagerduty.incident.triggered',
  splunk: 'splunk.alert_webhook',
  sentinel: 'sentinel.incident',
  elastic: 'elastic.security_alert_webhook',
  datadog: 'datadog.webhook_default',
  grafana: 'grafana.alerting_webhook',
  alertmanager: 'alertmanager.webhook_v4.firing',
  opsgenie: 'opsgenie.webhook_create',
  zabbix: 'zabbix.webhook',
  onemanage: 'onemanage.critical_log',
  nagios: 'nagios.service_problem',
  icinga: 'icinga.service_problem',
  generic: 'generic.standard_webhooks.incident_created',
};

/** Long runs of the characters the presets' own patterns look at. */
const NASTY = ['/'.repeat(60_000) + 'x', '['.repeat(60_000), `[${'a '.repeat(30_000)}`, '{'.repeat(60_000), `$${'A'.repeat(60_000)}!`, `${'1'.repeat(40)}.`];

/** Replaces every string in a payload with `text`. */
function poisoned(value: unknown, text: string): unknown {
  if (typeof value === 'string') return text;
  if (Array.isArray(value)) return value.map((item) => poisoned(item, text));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, poisoned(item, text)]));
  return value;
}

describe('presets run in-process, so hostile payload strings must stay cheap', () => {
  it.each(PROVIDERS.map((provider) => [provider]))('%s', async (provider) => {
    for (const text of NASTY) {
      const started = performance.now();
      await normalise({ provider }, poisoned(fixture(FIXTURE[provider]), text));
      expect(performance.now() - started, `${provider} with ${text.slice(0, 12)}…`).toBeLessThan(100);
    }
  });
});

import type { Provider } from '../providers';
import { alertmanagerPreset } from './alertmanager';
import { datadogPreset } from './datadog';
import { elasticPreset } from './elastic';
import { genericPreset } from './generic';
import { grafanaPreset } from './grafana';
import { icingaPreset } from './icinga';
import { jiraPreset } from './jira';
import { nagiosPreset } from './nagios';
import { onemanagePreset } from './onemanage';
import { opsgeniePreset } from './opsgenie';
import { pagerdutyPreset } from './pagerduty';
import type { Preset } from './preset';
import { sentinelPreset } from './sentinel';
import { servicenowPreset } from './servicenow';
import { splunkPreset } from './splunk';
import { zabbixPreset } from './zabbix';

export type { Preset } from './preset';

export const PRESETS: Readonly<Record<Provider, Preset>> = {
  jira: jiraPreset,
  servicenow: servicenowPreset,
  pagerduty: pagerdutyPreset,
  splunk: splunkPreset,
  sentinel: sentinelPreset,
  elastic: elasticPreset,
  datadog: datadogPreset,
  grafana: grafanaPreset,
  alertmanager: alertmanagerPreset,
  opsgenie: opsgeniePreset,
  zabbix: zabbixPreset,
  onemanage: onemanagePreset,
  nagios: nagiosPreset,
  icinga: icingaPreset,
  generic: genericPreset,
};

export function getPreset(provider: Provider): Preset {
  return PRESETS[provider];
}

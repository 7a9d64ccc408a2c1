import type { Preset } from './preset';

/**
 * Zabbix webhook media type whose parameters are the macros listed in docs/providers.md. Dates are the
 * server's local time without an offset: the source's `timezone` says which zone. Macros that did not
 * resolve arrive literally (`{EVENT.RECOVERY.DATE}`) or as `*UNKNOWN*` and count as absent.
 */
export const zabbixPreset: Preset = {
  provider: 'zabbix',
  expression: String.raw`(
  $tags := $parseJson(event_tags_json);
  $resolved := event_value = "0" or $exists(event_recovery_date);
  $acknowledged := event_ack_status = "Yes";
  $base := $substring(zabbix_url, -1) = "/" ? $substring(zabbix_url, 0, $length(zabbix_url) - 1) : zabbix_url;
  {
    "externalId": event_id,
    "title": event_name ?: alert_subject,
    "description": alert_message ?: trigger_description,
    "detectedAt": $toUtcIso(event_date & " " & event_time, "auto", $timezone),
    "severity": event_nseverity ?: event_severity,
    "status": $resolved ? "0" : ($acknowledged ? "acknowledged" : (event_value ?: "1")),
    "instance": $hostOf(zabbix_url),
    "sourceUrl": $base and trigger_id and event_id ? $base & "/tr_events.php?triggerid=" & trigger_id & "&eventid=" & event_id,
    "affectedSystems": [host_name],
    "labels": $merge([$tags.{ tag: value }, {
      "hostIp": host_ip,
      "triggerId": trigger_id,
      "recoveredAt": $resolved ? $toUtcIso(event_recovery_date & " " & event_recovery_time, "auto", $timezone)
    }]),
    "raw": {
      "severity": event_severity ?: event_nseverity,
      "status": event_value,
      "acknowledged": event_ack_status,
      "updateStatus": event_update_status
    }
  }
)`,
  severityTable: {
    '5': 'critical',
    '4': 'high',
    '3': 'medium',
    '2': 'low',
    '1': 'info',
    '0': 'info',
    disaster: 'critical',
    high: 'high',
    average: 'medium',
    warning: 'low',
    information: 'info',
    'not classified': 'info',
  },
  statusTable: { '1': 'open', '0': 'resolved' },
  placeholderPatterns: [/^\{[$#]?[A-Z][A-Z0-9_.]*\}$/, /^\*UNKNOWN\*$/],
  notes:
    'A webhook media type (Alerts → Media types) with the parameters and script from docs/providers.md, a user with that media, ' +
    'and an action with problem, recovery and update operations. Set the source timezone to the Zabbix server time zone.',
};

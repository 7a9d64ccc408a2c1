import type { Preset } from './preset';

/**
 * Zabbix webhook media type whose parameters are the macros listed in docs/providers.md. Dates are the
 * server's local time without an offset: the source's `timezone` says which zone. Macros that did not
 * resolve arrive literally (`{EVENT.RECOVERY.DATE}`) or as `*UNKNOWN*` and count as absent. Values may be strings
 * or numbers. An update that closed the problem (`event_update_action` contains "closed") resolves it;
 * discovery and autoregistration events (`event_source` 1, 2) describe no problem and yield none.
 */
export const zabbixPreset: Preset = {
  provider: 'zabbix',
  expression: String.raw`(
  $tags := $parseJson(event_tags_json);
  $value := $exists(event_value) ? $string(event_value);
  $closedByUpdate := $contains($lowercase($string(event_update_action)), "closed");
  $resolved := $value = "0" or $exists(event_recovery_date) or $closedByUpdate;
  $acknowledged := $lowercase($string(event_ack_status)) in ["yes", "true", "1"];
  $at := function($date, $time) { $exists($date) ? $toUtcIso($date & ($exists($time) ? " " & $time : ""), "auto", $timezone) };
  $updated := $string(event_update_status) = "1";
  $base := $substring(zabbix_url, -1) = "/" ? $substring(zabbix_url, 0, $length(zabbix_url) - 1) : zabbix_url;
  $string(event_source) in ["1", "2"] ? [] : {
    "externalId": event_id,
    "title": event_name ?: alert_subject,
    "description": alert_message ?: trigger_description,
    "detectedAt": $exists(event_date) ? $toUtcIso(event_date & ($exists(event_time) ? " " & event_time : ""), "auto", $timezone),
    "eventTime": $updated ? $at(event_update_date, event_update_time) : $exists(event_recovery_date) ? $at(event_recovery_date, event_recovery_time) : $at(event_date, event_time),
    "severity": event_nseverity ?: event_severity,
    "status": $resolved ? "0" : ($acknowledged ? "acknowledged" : ($value ?: "1")),
    "instance": $hostOf(zabbix_url),
    "sourceUrl": $base and trigger_id and event_id ? $base & "/tr_events.php?triggerid=" & trigger_id & "&eventid=" & event_id,
    "affectedSystems": [host_name],
    "labels": $merge([$tags.{ tag: value }, {
      "hostIp": host_ip,
      "triggerId": trigger_id,
      "recoveredAt": $exists(event_recovery_date) ? $toUtcIso(event_recovery_date & ($exists(event_recovery_time) ? " " & event_recovery_time : ""), "auto", $timezone)
    }]),
    "raw": {
      "severity": event_severity ?: event_nseverity,
      "status": $value,
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

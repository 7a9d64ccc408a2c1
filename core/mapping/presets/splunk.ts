import type { Preset } from './preset';

/**
 * Splunk alert action "Webhook": `{result, sid, results_link, search_name, owner, app}` with only the first
 * result row. `sid` changes every run, so identity is the search name plus a key from the row: the search
 * should output `dedup_key` (else the row's `host` is used). Splunk sends no severity: the search outputs one
 * (`severity`, or `urgency` as Enterprise Security notables carry). Rows without `_time` (stats, tstats) are
 * detected when received; multivalue fields arrive as arrays and are joined.
 */
export const splunkPreset: Preset = {
  provider: 'splunk',
  expression: String.raw`(
  $r := result;
  $one := function($v) { $type($v) = "array" ? $join($v.$string(), ",") : $v };
  $key := $one($r.dedup_key ?: $r.host);
  $severity := $one($r.severity ?: $r.urgency);
  $row := $join($keys($r)[$substring($, 0, 1) != "_"].($ & "=" & $string($lookup($r, $))), ", ");
  {
    "externalId": search_name ? search_name & ($key ? ":" & $key : "") : $r.dedup_key ? $one($r.dedup_key),
    "title": $r.title ?: $r.rule_title ?: search_name ?: $r.rule_name,
    "description": $r.description ?: $r.rule_description ?: $r.message ?: $row,
    "detectedAt": $toUtcIso($r._time) ?: $receivedAt,
    "eventTime": $toUtcIso($r._time),
    "severity": $severity,
    "status": "triggered",
    "instance": $hostOf(results_link),
    "sourceUrl": $hostOf(results_link) ? results_link,
    "affectedSystems": [$r.service, $r.host, $r.dest],
    "labels": {
      "searchName": search_name,
      "app": app,
      "owner": owner,
      "sid": sid
    },
    "raw": {
      "severity": $severity,
      "status": "triggered"
    }
  }
)`,
  severityTable: {
    critical: 'critical',
    fatal: 'critical',
    '6': 'critical',
    high: 'high',
    severe: 'high',
    '5': 'high',
    medium: 'medium',
    error: 'medium',
    '4': 'medium',
    low: 'low',
    warn: 'low',
    warning: 'low',
    '3': 'low',
    info: 'info',
    informational: 'info',
    debug: 'info',
    '2': 'info',
    '1': 'info',
  },
  statusTable: { triggered: 'open' },
  notes:
    'Alert action "Webhook" with the intake URL (token in the URL query or put a proxy in front for a header). ' +
    'The search must output a `severity` field (e.g. `| eval severity="high"`) and should output `dedup_key`.',
};

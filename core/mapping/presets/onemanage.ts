import type { Preset } from './preset';

/**
 * OneManage webhooks. The event name is not in the body, so the shape tells the two kinds apart: a bug report
 * (`BUG_REPORT_CREATED`: `id`, `appId`, `title`, `severity`, `status`, `createdAt`) and a critical log
 * (`CRITICAL_LOG`: `logId`, `level` ERROR|FATAL, `message`, `event`, `timestamp`). Times are epoch milliseconds.
 * A bug report's identity is `appId` + `id`. A log has no id beyond its `logId`, which is new on every log:
 * repeated logs of the same `event` are one incident (a storm of `user_login_failed` is one thing to review,
 * refreshed each time, and escalates when an ERROR becomes FATAL); only a log without an `event` stands alone
 * under its `logId`. The `logId` of the latest log is kept in `labels` (not in a tracked field), so a repeat
 * with the same message and level only refreshes "last seen".
 */
export const onemanagePreset: Preset = {
  provider: 'onemanage',
  expression: String.raw`(
  $isLog := $exists(logId) or $exists(level);
  $isBug := $not($isLog) and ($exists(appId) or $exists(createdAt));
  $isLog ? (
    $at := $toUtcIso(timestamp, "epoch-ms");
    {
      "externalId": $exists(event) ? "log:" & $string(event) : ($exists(logId) ? "log-id:" & $string(logId)),
      "title": message,
      "description": $join([$exists(event) ? "Event: " & $string(event), $exists(level) ? "Level: " & $string(level)], "\n"),
      "detectedAt": $at,
      "detectedAtSource": "payload",
      "eventTime": $at,
      "severity": level,
      "status": "open",
      "labels": { "kind": "CRITICAL_LOG", "event": event, "logId": logId },
      "raw": { "severity": level, "kind": "CRITICAL_LOG" }
    }
  ) : $isBug ? (
    $at := $toUtcIso(createdAt, "epoch-ms");
    {
      "externalId": $exists(appId) and $exists(id) ? "bug:" & $string(appId) & ":" & $string(id),
      "title": title,
      "description": description,
      "detectedAt": $at,
      "detectedAtSource": "payload",
      "eventTime": $at,
      "severity": severity,
      "status": status ?: "OPEN",
      "labels": { "kind": "BUG_REPORT_CREATED", "appId": appId, "bugId": id },
      "raw": { "severity": severity, "status": status, "kind": "BUG_REPORT_CREATED" }
    }
  ) : $error("not a OneManage webhook: neither a bug report (id, appId, createdAt) nor a critical log (logId, level, timestamp)")
)`,
  severityTable: {
    fatal: 'critical',
    error: 'high',
    blocker: 'critical',
    critical: 'critical',
    high: 'high',
    major: 'high',
    medium: 'medium',
    normal: 'medium',
    minor: 'low',
    low: 'low',
    trivial: 'info',
    info: 'info',
  },
  statusTable: {
    open: 'open',
    new: 'open',
    reopened: 'open',
    in_progress: 'acknowledged',
    'in progress': 'acknowledged',
    acknowledged: 'acknowledged',
    resolved: 'resolved',
    fixed: 'resolved',
    closed: 'resolved',
  },
  notes:
    'A OneManage webhook for BUG_REPORT_CREATED and CRITICAL_LOG with a secret: scheme onemanage (X-OneManage-Signature, hex HMAC-SHA256 of the raw body). ' +
    'Repeated critical logs of the same event are one incident.',
};

import type { Preset } from './preset';

/**
 * Opsgenie outgoing Webhook integration (support ends April 2027). Only actions that change an alert's
 * state make candidates (matched in any case); notes, tags, escalations, ownership, snoozes and priority or
 * message updates yield none: their payload says nothing about the alert's open/acknowledged/closed state.
 * `alert.alias` is Opsgenie's own dedupe key, so it forms the dedupe key; `alert.alertId` is the immutable id.
 */
export const opsgeniePreset: Preset = {
  provider: 'opsgenie',
  expression: String.raw`(
  $stateActions := ["create", "acknowledge", "unacknowledge", "close", "delete"];
  $exists(action) and $not($lowercase(action) in $stateActions) ? [] : {
    "externalId": alert.alertId,
    "dedupeKey": alert.alias ? "opsgenie:" & ($instance ?: "") & ":" & alert.alias,
    "title": alert.message,
    "description": alert.description,
    "detectedAt": $toUtcIso(alert.createdAt ?: alert.updatedAt),
    "eventTime": $toUtcIso(alert.updatedAt),
    "severity": alert.priority,
    "status": action,
    "affectedSystems": [alert.entity],
    "labels": {
      "tinyId": alert.tinyId,
      "alias": alert.alias,
      "team": alert.team,
      "source": alert.source,
      "tags": $exists(alert.tags) ? $join(alert.tags, ", "),
      "updatedAt": $toUtcIso(alert.updatedAt)
    },
    "raw": {
      "severity": alert.priority,
      "status": action
    }
  }
)`,
  severityTable: { p1: 'critical', p2: 'high', p3: 'medium', p4: 'low', p5: 'info' },
  statusTable: { create: 'open', unacknowledge: 'open', acknowledge: 'acknowledged', close: 'resolved', delete: 'resolved' },
  notes:
    'A Webhook integration with the intake URL, a token in a custom header, "Add Alert Description/Details to Payload" on, ' +
    'and actions Create, Acknowledge, UnAcknowledge, Close (and Delete) forwarded.',
};

import type { IncidentStatus, Severity } from '../../incident/canonical-incident';

/**
 * The body the documented notification script (docs/providers/nagios.md, icinga.md) sends for Nagios Core
 * and Icinga 2 alike: every value a string filled from the sender's macros — `type` (notification type),
 * `host`, `service` (empty for a host notification), `state`, `output`, `author`, `comment`, `timet` (when the
 * notification was sent, epoch seconds) and `since` (last state change, epoch seconds).
 *
 * Identity is the host, plus the service for a service notification. PROBLEM opens, RECOVERY resolves,
 * ACKNOWLEDGEMENT and DOWNTIMESTART acknowledge, FLAPPINGSTART opens; the notifications that end a flapping
 * or downtime period (and CUSTOM ones) carry the current state: OK or UP resolves, anything else is open.
 * detectedAt is the last state change (when the problem began), else the notification time.
 */
export const MONITORING_NOTIFICATION_EXPRESSION = String.raw`(
  $type := $uppercase($trim($string(type)));
  $state := $uppercase($trim($string(state)));
  $service := $exists(service) and $trim(service) != "" ? service;
  $byState := $state in ["OK", "UP"] ? "resolved" : "open";
  $fixed := {
    "PROBLEM": "open",
    "RECOVERY": "resolved",
    "ACKNOWLEDGEMENT": "acknowledged",
    "FLAPPINGSTART": "open",
    "DOWNTIMESTART": "acknowledged"
  };
  $followsState := ["FLAPPINGSTOP", "FLAPPINGEND", "FLAPPINGDISABLED", "DOWNTIMEEND", "DOWNTIMECANCELLED", "DOWNTIMEREMOVED", "CUSTOM"];
  $notified := $toUtcIso(timet, "epoch-s");
  $since := $toUtcIso(since, "epoch-s");
  $exists(type) or $exists(host) ? {
    "externalId": $exists(host) ? ($service ? host & "!" & $service : host),
    "title": $exists(host) ? ($service ? $service & " on " & host : "Host " & host) & " is " & $state,
    "description": $join([output, comment ? "Comment by " & (author ?: "unknown") & ": " & comment], "\n"),
    "detectedAt": $since ?: $notified,
    "detectedAtSource": "payload",
    "eventTime": $notified,
    "severity": state,
    "status": $lookup($fixed, $type) ?: ($type in $followsState ? $byState : type),
    "sourceUrl": url,
    "affectedSystems": [host],
    "labels": { "notificationType": $type, "service": $service, "address": address, "author": author },
    "raw": { "severity": state, "status": type, "kind": $service ? "service" : "host" }
  } : $error("not a monitoring notification: the body has neither type nor host (see the notification script in the provider page)")
)`;

/** Host states (UP, DOWN, UNREACHABLE) and service states (OK, WARNING, CRITICAL, UNKNOWN). */
export const MONITORING_STATE_SEVERITIES: Record<string, Severity> = {
  down: 'critical',
  unreachable: 'high',
  critical: 'critical',
  warning: 'medium',
  unknown: 'medium',
  up: 'info',
  ok: 'info',
};

/** The types whose status does not follow from the state alone; the expression resolves the others. */
export const MONITORING_TYPE_STATUSES: Record<string, IncidentStatus> = {
  problem: 'open',
  recovery: 'resolved',
  acknowledgement: 'acknowledged',
};

/** A macro the sender could not fill arrives literally (`$SERVICEDESC$`, `$service.name$`) and counts as absent. */
export const MONITORING_PLACEHOLDERS: RegExp[] = [/^\$[A-Za-z][A-Za-z0-9_.]*\$$/];

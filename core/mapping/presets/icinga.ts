import { MONITORING_NOTIFICATION_EXPRESSION, MONITORING_PLACEHOLDERS, MONITORING_STATE_SEVERITIES, MONITORING_TYPE_STATUSES } from './monitoring-notification';
import type { Preset } from './preset';

/**
 * Icinga 2 host and service notifications, as the NotificationCommand in docs/providers/icinga.md sends them
 * (runtime macros `$notification.type$`, `$host.name$`, `$service.name$`, `$service.state$`, `$icinga.timet$`, …
 * passed as environment variables). Same body and mapping as Nagios Core: see monitoring-notification.ts.
 */
export const icingaPreset: Preset = {
  provider: 'icinga',
  expression: MONITORING_NOTIFICATION_EXPRESSION,
  severityTable: MONITORING_STATE_SEVERITIES,
  statusTable: MONITORING_TYPE_STATUSES,
  placeholderPatterns: MONITORING_PLACEHOLDERS,
  notes:
    'An Icinga 2 NotificationCommand (docs/providers/icinga.md) for host and service notifications: the documented script posts the runtime macros as JSON ' +
    'with a bearer token (scheme token) or an HMAC from openssl dgst -sha256 -hmac (scheme hmac-hex).',
};

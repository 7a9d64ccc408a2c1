import { MONITORING_NOTIFICATION_EXPRESSION, MONITORING_PLACEHOLDERS, MONITORING_STATE_SEVERITIES, MONITORING_TYPE_STATUSES } from './monitoring-notification';
import type { Preset } from './preset';

/**
 * Nagios Core host and service notifications, as the notification script in docs/providers/nagios.md sends
 * them (macros `$NOTIFICATIONTYPE$`, `$HOSTNAME$`, `$SERVICEDESC$`, `$SERVICESTATE$`, `$TIMET$`, …). The body
 * and its mapping are shared with Icinga 2: see monitoring-notification.ts.
 */
export const nagiosPreset: Preset = {
  provider: 'nagios',
  expression: MONITORING_NOTIFICATION_EXPRESSION,
  severityTable: MONITORING_STATE_SEVERITIES,
  statusTable: MONITORING_TYPE_STATUSES,
  placeholderPatterns: MONITORING_PLACEHOLDERS,
  notes:
    'A notify-intake command (docs/providers/nagios.md) for host and service notifications: the documented script posts the macros as JSON ' +
    'with a bearer token (scheme token) or an HMAC from openssl dgst -sha256 -hmac (scheme hmac-hex).',
};

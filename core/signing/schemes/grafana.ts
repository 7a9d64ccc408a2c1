import { bodyHmacScheme } from './body-hmac';

/** Grafana alerting webhook HMAC: lowercase hex; timestamped when a timestamp header is configured. */
export const grafana = bodyHmacScheme({ defaultHeader: 'X-Grafana-Alerting-Signature', encoding: 'hex' });

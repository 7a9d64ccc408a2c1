import { describe, expect, it } from 'vitest';
import { destinationSchema, destinationSecrets, incidentIoDestinationSchema, webhookDestinationSchema } from '../../core/delivery';
import { effectivePolicy } from '../../core/delivery/delivery-policy';
import { kindDefaults } from '../../core/delivery/destination-runtime';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('destination configuration', () => {
  it('gives a webhook sensible defaults: POST, Standard Webhooks, 10 s timeout, 6 attempts on 1m/5m/15m/1h/1h', () => {
    const webhook = webhookDestinationSchema.parse({ kind: 'webhook', id: 'ops', url: 'https://hooks.example.com/in', signing: { secret: SECRET } });
    expect(webhook).toMatchObject({ tenant: 'default', method: 'POST', headers: {}, excludeAttributes: [], signing: { scheme: 'standard-webhooks', secret: SECRET } });
    expect(webhook.policy).toMatchObject({ timeoutMs: 10_000, maxAttempts: 6, scheduleMs: [60_000, 300_000, 900_000, 3_600_000, 3_600_000] });
    expect(effectivePolicy(webhook.policy, kindDefaults(webhook))).toMatchObject({ perIncidentOrder: false, rateLimit: null });
  });

  it('sends unsigned only when chosen explicitly', () => {
    const base = { kind: 'webhook', id: 'ops', url: 'https://hooks.example.com/in' };
    expect(webhookDestinationSchema.safeParse(base).success).toBe(false);
    expect(webhookDestinationSchema.safeParse({ ...base, signing: {} }).success).toBe(false);
    expect(webhookDestinationSchema.safeParse({ ...base, signing: { secret: 'c2VjcmV0c2VjcmV0c2VjcmV0' } }).success).toBe(true);
    expect(webhookDestinationSchema.safeParse({ ...base, signing: { secret: '***' } }).success).toBe(false);
    expect(webhookDestinationSchema.parse({ ...base, signing: { scheme: 'none' } }).signing).toEqual({ scheme: 'none' });
    expect(webhookDestinationSchema.parse({ ...base, signing: { scheme: 'hmac-hex', secret: 'legacy-secret-0123' } }).signing).toEqual({
      scheme: 'hmac-hex',
      secret: 'legacy-secret-0123',
      header: 'X-Signature',
    });
    expect(webhookDestinationSchema.safeParse({ ...base, url: 'ftp://x', signing: { scheme: 'none' } }).success).toBe(false);
    expect(webhookDestinationSchema.safeParse({ ...base, method: 'DELETE', signing: { scheme: 'none' } }).success).toBe(false);
    expect(webhookDestinationSchema.safeParse({ ...base, bodyTemplate: '{"a": ', signing: { scheme: 'none' } }).success).toBe(false);
  });

  it('paces incident.io under 120 alert events/min per alert source and 1,200 API calls/min, FIFO per incident', () => {
    const alerts = incidentIoDestinationSchema.parse({ kind: 'incident-io', id: 'iio', target: 'alert_event', alertSourceConfigId: 'src', alertSourceToken: 'tok' });
    expect(alerts.baseUrl).toBe('https://api.incident.io');
    expect(effectivePolicy(alerts.policy, kindDefaults(alerts))).toMatchObject({ perIncidentOrder: true, rateLimit: { perMinute: 110, burst: 10 }, timeoutMs: 10_000 });
    const incidents = destinationSchema.parse({ kind: 'incident-io', id: 'iio2', target: 'incident', apiKey: 'key', policy: { rateLimit: { perMinute: 60, burst: 2 } } });
    expect(incidents).toMatchObject({ visibility: 'public', mode: 'standard', notifyIncidentChannel: true, severityIds: {} });
    expect(effectivePolicy(incidents.policy, kindDefaults(incidents)).rateLimit).toEqual({ perMinute: 60, burst: 2 });
    expect(effectivePolicy(destinationSchema.parse({ kind: 'incident-io', id: 'i4', target: 'incident', apiKey: 'k' }).policy, { ordering: 'none', rateLimit: null, rateBucket: 'i4' }).rateLimit).toBeNull();
    const defaultBurst = destinationSchema.parse({ kind: 'incident-io', id: 'i5', target: 'incident', apiKey: 'k', policy: { rateLimit: { perMinute: 600 } } });
    expect(effectivePolicy(defaultBurst.policy, kindDefaults(defaultBurst)).rateLimit).toEqual({ perMinute: 600, burst: 50 });
    const unlimited = destinationSchema.parse({ kind: 'incident-io', id: 'iio3', target: 'incident', apiKey: 'key', policy: { rateLimit: null, ordering: 'none' } });
    expect(effectivePolicy(unlimited.policy, kindDefaults(unlimited))).toMatchObject({ rateLimit: null, perIncidentOrder: false });
  });

  it('lists every secret a destination holds, for redaction', () => {
    const webhook = destinationSchema.parse({
      kind: 'webhook',
      id: 'ops',
      url: 'https://user:pa55word@hooks.example.com/in?token=querytoken1',
      headers: { Authorization: 'Bearer header-token-1', 'Content-Type': 'application/json' },
      signing: { secret: SECRET },
    });
    expect(destinationSecrets(webhook).sort()).toEqual([SECRET, 'Bearer header-token-1', 'header-token-1', 'pa55word', 'querytoken1'].sort());
    expect(destinationSecrets(destinationSchema.parse({ kind: 'incident-io', id: 'i', target: 'alert_event', alertSourceConfigId: 's', alertSourceToken: 'src-token' }))).toEqual(['src-token']);
  });
});

import type { Clock } from '../../clock';
import { signRequest } from '../../signing';
import type { WebhookDestination } from '../destination-config';
import type { HttpTransport } from '../http-transport';
import { USER_AGENT } from '../user-agent';
import type { AttemptReport, DeliveryAdapter, DeliveryJob } from './adapter';
import { exchange } from './exchange';
import { compileBodyTemplate, webhookEnvelope } from './webhook-body';

/** Any HTTP receiver: the incident as JSON (or through a JSONata template), signed with Standard Webhooks by default. */
export class WebhookAdapter implements DeliveryAdapter {
  readonly readsRemoteRefs = false;
  private readonly template?: ReturnType<typeof compileBodyTemplate>;

  constructor(
    private readonly destination: WebhookDestination,
    private readonly transport: HttpTransport,
    private readonly secrets: readonly string[],
    private readonly clock: Clock,
  ) {
    if (destination.bodyTemplate !== undefined) this.template = compileBodyTemplate(destination.bodyTemplate);
  }

  async deliver(job: DeliveryJob): Promise<AttemptReport> {
    const body = await this.body(job);
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...this.destination.headers,
      ...this.signatureHeaders(job.delivery.idempotencyKey, body),
    };
    const request = { method: this.destination.method, url: this.destination.url, headers, body, timeoutMs: this.timeoutMs };
    const { json: _json, ...report } = await exchange(this.transport, request, this.secrets, this.clock);
    return report;
  }

  private get timeoutMs(): number {
    return this.destination.policy.timeoutMs;
  }

  private async body(job: DeliveryJob): Promise<Buffer> {
    const envelope = webhookEnvelope(job.event, this.destination.excludeAttributes);
    const content = this.template ? await this.template(envelope) : envelope;
    return Buffer.from(JSON.stringify(content), 'utf8');
  }

  /** `webhook-id` is the delivery's idempotency key under every scheme, so receivers can dedupe retries. */
  private signatureHeaders(idempotencyKey: string, body: Buffer): Record<string, string> {
    const signing = this.destination.signing;
    if (signing.scheme === 'standard-webhooks') {
      return signRequest('standard-webhooks', signing.secret, body, { id: idempotencyKey, timestamp: Math.floor(this.clock.now() / 1000) });
    }
    const idHeader = { 'webhook-id': idempotencyKey };
    if (signing.scheme === 'hmac-hex') return { ...idHeader, ...signRequest('hmac-hex', signing.secret, body, { header: signing.header }) };
    return idHeader;
  }
}

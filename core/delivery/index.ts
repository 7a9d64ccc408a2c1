export { enqueueDelivery, enqueueDeliveryIn, type EnqueueInput, type EnqueueResult } from './enqueue';
export { DeliveryWorker, type DeliveryWorkerOptions } from './worker';
export type { DestinationSource } from './destination-set';
export { DestinationVault, DestinationVaultError, type SealedDestination } from './destination-vault';
export { sealDestination, sealedDestinations } from './sealed-destinations';
export type { DeliveryResult, DeliveryStatus } from './delivery-result';
export { replayDeadLetters, enableDestination, cancelDelivery, type ReplaySelection } from './replay';
export { destinationHealth, type DestinationHealth } from './health';
export { deliveryDetails, listDeliveries } from './delivery-views';
export { purgeFinishedDeliveries } from './retention';
export {
  destinationSchema,
  webhookDestinationSchema,
  incidentIoDestinationSchema,
  destinationSecrets,
  type DestinationConfig,
  type DestinationConfigInput,
  type WebhookDestination,
  type IncidentIoDestination,
} from './destination-config';
export { deliveryPolicySchema, type DeliveryPolicyInput } from './delivery-policy';
export { classifyResponse, type ResponseFacts } from './classify-response';
export { classifyError } from './classify-error';
export type { Classification } from './classification';
export { DEFAULT_RETRY_POLICY, DEFAULT_SCHEDULE_MS, parseRetryAfter, retryDelayMs, scheduledDelayMs, type RetryPolicy, type RandomSource } from './retry-policy';
export { refill, take, msUntilNextToken, type RateLimit } from './token-bucket';
export { redactText, redactJson, redactUrl, REDACTED } from './redact';
export { deliveryIdempotencyKey } from './idempotency-key';
export { DELIVERY_EVENT_KINDS, eventKindFor, type DeliveryEvent, type DeliveryEventKind } from './delivery-event';
export { UndiciTransport, type HttpTransport, type HttpRequest, type UndiciTransportOptions } from './http-transport';
export { hostPolicy, hostPolicySchema, refusalFor, type HostPolicy, type HostPolicyInput } from './host-policy';
export type { Resolver } from './guarded-lookup';
export { TransportError, type TransportFailure } from './transport-error';
export { NonRetryableDeliveryError } from './non-retryable-error';
export { INCIDENT_IO_INCIDENT_ID } from './incident-io/incident-adapter';
export type { ResponseSummary } from './response-summary';
export type { RemoteError } from './remote-errors';
export type { Timers } from './timers';

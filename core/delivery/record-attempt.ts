import type { DeliveryAttemptRecord } from '../store/delivery-records';
import type { Store } from '../store/store';
import type { AttemptReport, DeliveryJob } from './adapters/adapter';
import type { DeliveryResult } from './delivery-result';
import type { DestinationRuntime } from './destination-runtime';
import type { NextStep } from './next-step';
import { describeRemoteErrors } from './remote-errors';

export interface AttemptTiming {
  startedAt: number;
  finishedAt: number;
  durationMs: number;
}

/**
 * Stores how an attempt ended — the delivery's new state, the attempt record, remembered remote ids, the
 * destination's last result, a 410's disabling, a Retry-After pause — in one transaction. Returns the result
 * for the host, or undefined when the lease had been lost to another worker (the attempt is still recorded).
 */
export function recordAttempt(
  store: Store,
  runtime: DestinationRuntime,
  job: DeliveryJob,
  report: AttemptReport,
  step: NextStep,
  timing: AttemptTiming,
  workerId: string,
): Promise<DeliveryResult | undefined> {
  const { delivery } = job;
  const result = resultOf(runtime, job, report, step, timing);
  const now = timing.finishedAt;
  return store.transaction(async (repositories) => {
    const held = await repositories.deliveries.complete(
      delivery.tenant,
      delivery.id,
      { owner: workerId, totalAttempts: delivery.totalAttempts },
      {
        state: step.state,
        nextAttemptAt: step.state === 'scheduled' ? step.nextAttemptAt : null,
        lastStatus: report.httpStatus,
        lastError: step.state === 'delivered' ? null : (result.error ?? report.classification.reason).slice(0, 500),
        remoteId: report.remoteId ?? null,
        now,
      },
    );
    await repositories.deliveryAttempts.insert(attemptRecord(job, report, timing));
    if (!held) return undefined;
    for (const [name, value] of Object.entries(report.remember ?? {})) {
      await repositories.remoteRefs.set(delivery.tenant, delivery.destinationId, delivery.incidentId, name, value, now);
    }
    if (report.classification.disableDestination) {
      result.destinationDisabled = await repositories.destinations.disable(delivery.tenant, delivery.destinationId, 'receiver answered 410 Gone', now);
    }
    const retryAfterMs = report.classification.retryAfterMs;
    if (report.classification.outcome === 'retry' && retryAfterMs !== undefined && retryAfterMs > 0) {
      const pauseMs = Math.min(retryAfterMs, runtime.policy.retry.maxRetryAfterMs);
      await repositories.destinations.pauseUntil(delivery.tenant, delivery.destinationId, now + pauseMs, now);
    }
    await repositories.destinations.recordResult(delivery.tenant, delivery.destinationId, lastResultOf(result), now);
    return result;
  });
}

function resultOf(runtime: DestinationRuntime, job: DeliveryJob, report: AttemptReport, step: NextStep, timing: AttemptTiming): DeliveryResult {
  const { delivery } = job;
  const status = step.state === 'scheduled' ? 'retry_scheduled' : step.state;
  return {
    status,
    final: status !== 'retry_scheduled',
    deliveryId: delivery.id,
    tenant: delivery.tenant,
    destinationId: delivery.destinationId,
    destinationKind: runtime.config.kind,
    incidentId: delivery.incidentId,
    eventVersion: delivery.eventVersion,
    eventKind: delivery.eventKind,
    idempotencyKey: delivery.idempotencyKey,
    attempt: delivery.attempts,
    maxAttempts: runtime.policy.retry.maxAttempts,
    at: timing.finishedAt,
    durationMs: Math.round(timing.durationMs),
    httpStatus: report.httpStatus,
    outcome: report.classification.outcome,
    reason: report.classification.reason,
    nextAttemptAt: step.state === 'scheduled' ? step.nextAttemptAt : null,
    remoteId: report.remoteId ?? delivery.remoteId,
    response: report.response,
    error: failureDescription(report),
    destinationDisabled: false,
  };
}

function attemptRecord(job: DeliveryJob, report: AttemptReport, timing: AttemptTiming): DeliveryAttemptRecord {
  const summary: Record<string, unknown> = {};
  if (report.response) summary.response = report.response;
  if (report.error) summary.error = report.error;
  if (report.classification.retryAfterMs !== undefined) summary.retryAfterMs = report.classification.retryAfterMs;
  return {
    deliveryId: job.delivery.id,
    number: job.delivery.totalAttempts,
    tenant: job.delivery.tenant,
    destinationId: job.delivery.destinationId,
    startedAt: timing.startedAt,
    durationMs: timing.durationMs,
    httpStatus: report.httpStatus,
    outcome: report.classification.outcome,
    reason: report.classification.reason,
    summary,
  };
}

function lastResultOf(result: DeliveryResult): Record<string, unknown> {
  return {
    status: result.status,
    outcome: result.outcome,
    reason: result.reason,
    httpStatus: result.httpStatus,
    deliveryId: result.deliveryId,
    at: result.at,
    ...(result.error ? { error: result.error } : {}),
  };
}

/** Why an attempt failed, in words: the transport error, or the receiver's own error codes and messages. */
function failureDescription(report: AttemptReport): string | null {
  if (report.classification.outcome === 'success') return null;
  if (report.error) return report.error;
  const errors = report.response?.errors ?? [];
  return errors.length > 0 ? `${report.classification.reason}: ${describeRemoteErrors(errors)}` : null;
}

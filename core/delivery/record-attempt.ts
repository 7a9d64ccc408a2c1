import type { DeliveryAttemptRecord } from '../store/delivery-records';
import type { Repositories, Store } from '../store/store';
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

/** An attempt that has ended, with everything needed to store how. */
export interface FinishedAttempt {
  runtime: DestinationRuntime;
  job: DeliveryJob;
  report: AttemptReport;
  step: NextStep;
  timing: AttemptTiming;
  workerId: string;
}

/**
 * Stores how an attempt ended in one transaction. Returns the result for the host, or undefined when the
 * lease had been lost to another worker (the attempt is still recorded).
 */
export async function recordAttempt(store: Store, attempt: FinishedAttempt): Promise<DeliveryResult | undefined> {
  const [result] = await recordAttempts(store, [attempt]);
  return result;
}

/**
 * Stores how several attempts ended in one transaction, as if recorded one after the other: each delivery's
 * new state, its attempt record, remembered remote ids, a 410's disabling, a Retry-After pause; then each
 * destination's last result once (the last attempt's). Results in the order given.
 */
export function recordAttempts(store: Store, attempts: readonly FinishedAttempt[]): Promise<Array<DeliveryResult | undefined>> {
  return store.transaction(async (repositories) => {
    const results: Array<DeliveryResult | undefined> = [];
    const lastResults = new Map<string, { tenant: string; destinationId: string; result: DeliveryResult }>();
    for (const attempt of attempts) {
      const result = await storeAttempt(repositories, attempt);
      results.push(result);
      if (result) lastResults.set(`${result.tenant}\u0000${result.destinationId}`, { tenant: result.tenant, destinationId: result.destinationId, result });
    }
    for (const { tenant, destinationId, result } of lastResults.values()) {
      await repositories.destinations.recordResult(tenant, destinationId, lastResultOf(result), result.at);
    }
    return results;
  });
}

/** One attempt's writes inside the caller's transaction, all but the destination's last result. */
async function storeAttempt(repositories: Repositories, attempt: FinishedAttempt): Promise<DeliveryResult | undefined> {
  const { runtime, job, report, step, timing, workerId } = attempt;
  const { delivery } = job;
  const result = resultOf(runtime, job, report, step, timing);
  const now = timing.finishedAt;
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
  return result;
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

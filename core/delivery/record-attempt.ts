import type { DeliveryAttemptRecord } from '../store/delivery-records';
import type { CompletionEntry } from '../store/repositories/delivery-completions';
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
 * Stores how several attempts ended in one transaction, as if recorded one after the other: each delivery's
 * new state and its attempt record (one statement each for the whole batch), remembered remote ids, a 410's
 * disabling, a Retry-After pause; then each destination's last result once (the last attempt's). Results in
 * the order given; undefined where the lease had been lost to another worker (the attempt is still recorded).
 */
export function recordAttempts(store: Store, attempts: readonly FinishedAttempt[]): Promise<Array<DeliveryResult | undefined>> {
  return store.transaction(async (repositories) => {
    const held = await repositories.deliveries.completeMany(attempts.map(completionOf));
    await repositories.deliveryAttempts.insertMany(attempts.map(attemptRecord));
    const results: Array<DeliveryResult | undefined> = [];
    for (const attempt of attempts) {
      results.push(held.has(attempt.job.delivery.id) ? await storeAftermath(repositories, attempt) : undefined);
    }
    await recordLastResults(repositories, results);
    return results;
  });
}

function completionOf({ job, report, step, timing, workerId }: FinishedAttempt): CompletionEntry {
  const { delivery } = job;
  const error = step.state === 'delivered' ? null : (failureDescription(report) ?? report.classification.reason).slice(0, 500);
  return {
    tenant: delivery.tenant,
    id: delivery.id,
    lease: { owner: workerId, totalAttempts: delivery.totalAttempts },
    completion: {
      state: step.state,
      nextAttemptAt: step.state === 'scheduled' ? step.nextAttemptAt : null,
      lastStatus: report.httpStatus,
      lastError: error,
      remoteId: report.remoteId ?? null,
      now: timing.finishedAt,
    },
  };
}

/** What else an attempt whose lease was held changes: remembered ids, a 410's disabling, a Retry-After pause. */
async function storeAftermath(repositories: Repositories, attempt: FinishedAttempt): Promise<DeliveryResult> {
  const { runtime, job, report, step, timing } = attempt;
  const { delivery } = job;
  const result = resultOf(runtime, job, report, step, timing);
  const now = timing.finishedAt;
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

/** Each destination's last result, written once per batch: the last attempt's. */
async function recordLastResults(repositories: Repositories, results: ReadonlyArray<DeliveryResult | undefined>): Promise<void> {
  const last = new Map<string, DeliveryResult>();
  for (const result of results) if (result) last.set(`${result.tenant}\u0000${result.destinationId}`, result);
  for (const result of last.values()) {
    await repositories.destinations.recordResult(result.tenant, result.destinationId, lastResultOf(result), result.at);
  }
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

function attemptRecord({ job, report, timing }: FinishedAttempt): DeliveryAttemptRecord {
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

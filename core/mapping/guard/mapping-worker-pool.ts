import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EvaluationBindings, EvaluationPlan } from '../evaluation-plan';
import type { MappingRunOutput } from '../run-mapping';
import type { MappingJob, MappingWorkerMessage } from './mapping-worker';
import { WORKER_BOOTSTRAP, mappingWorkerEntry } from './worker-script';

export interface MappingWorkerPoolOptions {
  /** Worker threads at most; default min(2, CPUs). */
  size?: number;
  /** Slack past the mapping's own time limit before the worker is killed, so JSONata can report first. */
  graceMs?: number;
  /** Heap cap per worker; a mapping that blows it is quarantined, the process survives. */
  maxHeapMb?: number;
  /** How long a new worker may take to load before its queued jobs fail. */
  startupTimeoutMs?: number;
}

interface QueuedJob {
  job: MappingJob;
  deadlineMs: number;
  resolve(output: MappingRunOutput): void;
}

interface PooledWorker {
  worker: Worker;
  ready: boolean;
  active?: { queued: QueuedJob; timer: NodeJS.Timeout };
  startTimer?: NodeJS.Timeout;
}

/**
 * Runs untrusted mappings on worker threads with a hard deadline: when a job overruns, its worker is
 * terminated (V8 interrupts even a backtracking regular expression) and a fresh one is started for the
 * next job. The event loop of the calling thread is never blocked by a mapping. Idle workers are unref'd
 * so they never keep the process alive. `run` never rejects: failures come back as `{ok: false, reason}`.
 */
export class MappingWorkerPool {
  private readonly size: number;
  private readonly graceMs: number;
  private readonly maxHeapMb: number;
  private readonly startupTimeoutMs: number;
  private readonly workers: PooledWorker[] = [];
  private readonly queue: QueuedJob[] = [];
  private nextId = 1;
  /** Workers started and killed over the pool's life; tests use them to see respawns. */
  readonly stats = { started: 0, killedForTimeout: 0 };

  constructor(options: MappingWorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.min(2, availableParallelism()));
    this.graceMs = options.graceMs ?? 50;
    this.maxHeapMb = options.maxHeapMb ?? 128;
    this.startupTimeoutMs = options.startupTimeoutMs ?? 10_000;
  }

  run(plan: EvaluationPlan, payload: unknown, bindings: EvaluationBindings, deadlineMs: number): Promise<MappingRunOutput> {
    return new Promise((resolve) => {
      this.queue.push({ job: { id: this.nextId++, plan, payload, bindings }, deadlineMs, resolve });
      this.pump();
    });
  }

  /** Terminates every worker; queued and running jobs come back as failures. The pool can be used again. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const queued of this.queue.splice(0)) queued.resolve(failure('mapping workers were shut down'));
    for (const pooled of workers) this.settle(pooled, failure('mapping workers were shut down'));
    await Promise.all(workers.map((pooled) => pooled.worker.terminate().catch(() => undefined)));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const idle = this.workers.find((pooled) => pooled.ready && !pooled.active);
      if (!idle) {
        if (this.workers.length < this.size) this.spawn();
        return;
      }
      this.start(idle, this.queue.shift() as QueuedJob);
    }
  }

  private spawn(): void {
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: { entry: mappingWorkerEntry() },
      env: {},
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    const pooled: PooledWorker = { worker, ready: false };
    this.stats.started++;
    this.workers.push(pooled);
    pooled.startTimer = setTimeout(() => this.onStartFailure(pooled, `mapping worker did not start within ${this.startupTimeoutMs} ms`), this.startupTimeoutMs);
    pooled.startTimer.unref();
    worker.unref();
    worker.on('message', (message: MappingWorkerMessage) => this.onMessage(pooled, message));
    worker.on('error', (error) => this.onWorkerError(pooled, error));
    worker.on('exit', (code) => this.onWorkerError(pooled, new Error(`mapping worker exited with code ${code}`)));
  }

  private start(pooled: PooledWorker, queued: QueuedJob): void {
    pooled.worker.ref();
    const timer = setTimeout(() => this.onTimeout(pooled), queued.deadlineMs + this.graceMs);
    pooled.active = { queued, timer };
    pooled.worker.postMessage(queued.job);
  }

  private onMessage(pooled: PooledWorker, message: MappingWorkerMessage): void {
    if ('ready' in message) {
      clearTimeout(pooled.startTimer);
      pooled.ready = true;
    } else if (pooled.active?.queued.job.id === message.id) {
      this.settle(pooled, message.output);
      pooled.worker.unref();
    }
    this.pump();
  }

  private onTimeout(pooled: PooledWorker): void {
    const deadlineMs = pooled.active?.queued.deadlineMs ?? 0;
    this.stats.killedForTimeout++;
    this.discard(pooled, failure(`mapping exceeded ${deadlineMs} ms`));
    this.pump();
  }

  private onWorkerError(pooled: PooledWorker, error: Error): void {
    if (!this.workers.includes(pooled)) return;
    if (!pooled.ready) return this.onStartFailure(pooled, `mapping worker could not start: ${error.message}`);
    this.discard(pooled, failure(describeWorkerError(error)));
    this.pump();
  }

  /** A worker that cannot even start would fail the same way again: fail the waiting jobs instead of looping. */
  private onStartFailure(pooled: PooledWorker, message: string): void {
    if (!this.workers.includes(pooled)) return;
    this.discard(pooled, failure(message));
    if (this.workers.length === 0) for (const queued of this.queue.splice(0)) queued.resolve(failure(message));
  }

  private discard(pooled: PooledWorker, outcome: MappingRunOutput): void {
    const index = this.workers.indexOf(pooled);
    if (index >= 0) this.workers.splice(index, 1);
    clearTimeout(pooled.startTimer);
    this.settle(pooled, outcome);
    void pooled.worker.terminate().catch(() => undefined);
  }

  private settle(pooled: PooledWorker, outcome: MappingRunOutput): void {
    const active = pooled.active;
    if (!active) return;
    pooled.active = undefined;
    clearTimeout(active.timer);
    active.queued.resolve(outcome);
  }
}

function failure(message: string): MappingRunOutput {
  return { ok: false, reason: { field: 'mapping', message } };
}

function describeWorkerError(error: Error & { code?: string }): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'mapping exceeded the memory limit';
  return `mapping worker failed: ${error.message}`;
}

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import type { EvaluationBindings, EvaluationPlan } from '../evaluation-plan';
import type { MappingRunOutput } from '../run-mapping';
import type { JsonBodyInput, MappingJob, MappingWorkerMessage } from './mapping-worker';
import { WORKER_BOOTSTRAP, WORKER_MARKER, mappingWorkerEntry } from './worker-script';

export interface MappingWorkerPoolOptions {
  /** Worker processes at most; default min(2, CPUs). */
  size?: number;
  /** Slack past the mapping's own time limit before the worker is killed, so JSONata can report first. */
  graceMs?: number;
  /** Heap cap per worker; a mapping that blows it is quarantined, this process survives. */
  maxHeapMb?: number;
  /** How long a new worker may take to load before its queued jobs fail. */
  startupTimeoutMs?: number;
  /** How long a worker may take to check and send back a result once the mapping has produced it. */
  replyTimeoutMs?: number;
}

interface QueuedJob {
  job: MappingJob;
  deadlineMs: number;
  resolve(output: MappingRunOutput): void;
}

interface PooledWorker {
  child: ChildProcess;
  ready: boolean;
  /** Tail of the worker's stderr, to tell an out-of-memory abort from other crashes. */
  stderr: string;
  active?: { queued: QueuedJob; timer: NodeJS.Timeout };
  startTimer?: NodeJS.Timeout;
}

/**
 * Runs untrusted mappings in worker processes with a hard deadline. A job that overruns gets its worker
 * killed (SIGKILL stops even a backtracking regular expression) and a fresh worker serves the next job, so
 * the caller's event loop is never blocked by a mapping. Processes rather than threads, because a single
 * allocation past a worker thread's heap limit aborts the whole process; here it only aborts the worker.
 * Idle workers are unref'd and never keep the process alive. `run` never rejects: failures come back as
 * `{ok: false, reason}`.
 */
export class MappingWorkerPool {
  private readonly size: number;
  private readonly graceMs: number;
  private readonly maxHeapMb: number;
  private readonly startupTimeoutMs: number;
  private readonly replyTimeoutMs: number;
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
    this.replyTimeoutMs = options.replyTimeoutMs ?? 5_000;
  }

  run(plan: EvaluationPlan, payload: unknown, bindings: EvaluationBindings, deadlineMs: number): Promise<MappingRunOutput> {
    return this.enqueue({ id: this.nextId++, plan, payload, bindings }, deadlineMs);
  }

  /** Decodes and parses a body's bytes in the worker, then maps it: a large body never becomes a string or objects on this event loop. */
  runJson(plan: EvaluationPlan, json: JsonBodyInput, bindings: EvaluationBindings, deadlineMs: number): Promise<MappingRunOutput> {
    return this.enqueue({ id: this.nextId++, plan, json, bindings }, deadlineMs);
  }

  private enqueue(job: MappingJob, deadlineMs: number): Promise<MappingRunOutput> {
    return new Promise((resolve) => {
      this.queue.push({ job, deadlineMs, resolve });
      this.pump();
    });
  }

  /** Kills every worker; queued and running jobs come back as failures. The pool can be used again. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const queued of this.queue.splice(0)) queued.resolve(failure('mapping workers were shut down'));
    await Promise.all(workers.map((pooled) => this.kill(pooled, failure('mapping workers were shut down'))));
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
    const entry = mappingWorkerEntry();
    const execArgv = [`--max-old-space-size=${this.maxHeapMb}`, ...(entry.endsWith('.ts') ? ['--no-warnings'] : [])];
    const child = spawn(process.execPath, [...execArgv, '-e', WORKER_BOOTSTRAP, entry], {
      env: workerEnvironment(),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Structured clone rather than JSON: a large body's bytes cross as one copy instead of being escaped
      // into megabytes of JSON text on this event loop.
      serialization: 'advanced',
      windowsHide: true,
    });
    const pooled: PooledWorker = { child, ready: false, stderr: '' };
    this.stats.started++;
    this.workers.push(pooled);
    pooled.startTimer = setTimeout(() => this.onStartFailure(pooled, `mapping worker did not start within ${this.startupTimeoutMs} ms`), this.startupTimeoutMs);
    pooled.startTimer.unref();
    child.stderr?.on('data', (chunk: Buffer) => {
      pooled.stderr = (pooled.stderr + chunk.toString('utf8')).slice(-4096);
    });
    child.on('message', (message: MappingWorkerMessage) => this.onMessage(pooled, message));
    child.on('error', (error) => this.onExit(pooled, `mapping worker failed: ${error.message}`));
    child.on('exit', (code, signal) => this.onExit(pooled, this.describeExit(pooled, code, signal)));
    // Referenced while starting: it is only started because a job is waiting for it.
  }

  private start(pooled: PooledWorker, queued: QueuedJob): void {
    setReferenced(pooled.child, true);
    const timer = setTimeout(() => this.onTimeout(pooled), queued.deadlineMs + this.graceMs);
    pooled.active = { queued, timer };
    pooled.child.send(queued.job, (error) => {
      if (error) void this.kill(pooled, failure(`mapping worker could not take the job: ${error.message}`)).then(() => this.pump());
    });
  }

  private onMessage(pooled: PooledWorker, message: MappingWorkerMessage): void {
    if ('ready' in message) {
      clearTimeout(pooled.startTimer);
      pooled.ready = true;
    } else if (pooled.active?.queued.job.id === message.id) {
      if ('evaluated' in message) this.onEvaluated(pooled);
      else this.settle(pooled, message.output);
    }
    this.pump();
    if (!pooled.active) setReferenced(pooled.child, false);
  }

  /**
   * The mapping produced its result within its time: from here on the clock is the worker's own work (checking
   * the output's size, serialising it), which a busy machine slows down but the mapping did not cause. So an
   * output that is too large is refused for its size however loaded the machine is, never for the deadline.
   */
  private onEvaluated(pooled: PooledWorker): void {
    const active = pooled.active;
    if (!active) return;
    clearTimeout(active.timer);
    active.timer = setTimeout(() => {
      void this.kill(pooled, failure(`the mapping worker did not send back the output within ${this.replyTimeoutMs} ms`));
      this.pump();
    }, this.replyTimeoutMs);
  }

  private onTimeout(pooled: PooledWorker): void {
    const deadlineMs = pooled.active?.queued.deadlineMs ?? 0;
    this.stats.killedForTimeout++;
    void this.kill(pooled, failure(`mapping exceeded ${deadlineMs} ms`));
    this.pump();
  }

  private onExit(pooled: PooledWorker, message: string): void {
    if (!this.workers.includes(pooled)) return;
    if (!pooled.ready) return this.onStartFailure(pooled, `mapping worker could not start: ${message}`);
    void this.kill(pooled, failure(message));
    this.pump();
  }

  /** A worker that cannot even start would fail the same way again: fail the waiting jobs instead of looping. */
  private onStartFailure(pooled: PooledWorker, message: string): void {
    if (!this.workers.includes(pooled)) return;
    void this.kill(pooled, failure(message));
    if (this.workers.length === 0) for (const queued of this.queue.splice(0)) queued.resolve(failure(message));
  }

  private describeExit(pooled: PooledWorker, code: number | null, signal: NodeJS.Signals | null): string {
    if (/heap out of memory|allocation failed/i.test(pooled.stderr)) return `mapping exceeded the memory limit (${this.maxHeapMb} MB)`;
    return `mapping worker stopped (${signal ?? `exit code ${code}`})`;
  }

  /** Removes the worker from the pool, settles its job with `outcome`, and resolves once the process is gone. */
  private kill(pooled: PooledWorker, outcome: MappingRunOutput): Promise<void> {
    const index = this.workers.indexOf(pooled);
    if (index >= 0) this.workers.splice(index, 1);
    clearTimeout(pooled.startTimer);
    this.settle(pooled, outcome);
    const { child } = pooled;
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      // An idle worker is unref'd; waiting for its exit must keep this process alive, or `close()` never settles.
      setReferenced(child, true);
      child.kill('SIGKILL');
    });
  }

  private settle(pooled: PooledWorker, outcome: MappingRunOutput): void {
    const active = pooled.active;
    if (!active) return;
    pooled.active = undefined;
    clearTimeout(active.timer);
    active.queued.resolve(outcome);
  }
}

/** Nothing from this process's environment (secrets live there), except what Windows needs to start Node. */
function workerEnvironment(): NodeJS.ProcessEnv {
  const windowsRoot = process.platform === 'win32' ? process.env.SystemRoot : undefined;
  return { [WORKER_MARKER]: '1', ...(windowsRoot ? { SystemRoot: windowsRoot } : {}) };
}

/** While a job runs the worker keeps this process alive; idle, it must not. */
function setReferenced(child: ChildProcess, referenced: boolean): void {
  const handles = [child, child.channel, child.stderr as Socket | null];
  for (const handle of handles) {
    if (referenced) handle?.ref?.();
    else handle?.unref?.();
  }
}

function failure(message: string): MappingRunOutput {
  return { ok: false, reason: { field: 'mapping', message } };
}

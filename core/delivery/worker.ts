import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../clock';
import type { Store } from '../store/store';
import type { AttemptReport, DeliveryJob } from './adapters/adapter';
import { claimJobs } from './claim';
import { classifyError } from './classify-error';
import type { DeliveryResult } from './delivery-result';
import type { DestinationConfig, DestinationConfigInput } from './destination-config';
import { destinationRuntime, type DestinationRuntime } from './destination-runtime';
import { DestinationSet, type DestinationSource } from './destination-set';
import type { HostPolicyInput } from './host-policy';
import { UndiciTransport, type HttpTransport } from './http-transport';
import { nextStep } from './next-step';
import { GroupCommit } from './group-commit';
import { recordAttempts, type FinishedAttempt } from './record-attempt';
import { redactText } from './redact';
import type { RandomSource } from './retry-policy';
import { systemTimers, type Timers } from './timers';

export interface DeliveryWorkerOptions {
  store: Store;
  /** Host-supplied destinations, secrets included; validated with `destinationSchema`. Default: none. */
  destinations?: ReadonlyArray<DestinationConfigInput | DestinationConfig>;
  /**
   * More destinations, read at start and again every poll interval, e.g. `sealedDestinations(vault)` for
   * every destination sealed in the store. A host-supplied destination wins over one with the same tenant and id.
   */
  destinationSource?: DestinationSource;
  /**
   * A stable id for this host (e.g. its n8n instance id). With one, `start()` takes back the leases a previous
   * run of the same host left behind at once; without one, a random id is used and abandoned leases are
   * reclaimed when they expire.
   */
  workerId?: string;
  /**
   * Requests in flight at once, over all destinations. Default 16. Attempts whose answer is in wait for their
   * record to commit without holding a slot, up to as many again.
   */
  concurrency?: number;
  /** Requests in flight at once to one destination. Default: `concurrency`. */
  maxInFlightPerDestination?: number;
  /** How often due work is looked for when nothing else wakes the worker. Default 1 s. */
  pollIntervalMs?: number;
  /** A lease lasts twice the destination's timeout (an attempt may need a lookup first) plus this margin. Default 30 s. */
  leaseMarginMs?: number;
  clock?: Clock;
  timers?: Timers;
  random?: RandomSource;
  /** Default: an undici keep-alive pool owned (and closed) by the worker. */
  transport?: HttpTransport;
  /**
   * Which destination hosts the worker's own transport may reach (checked before connecting and after DNS;
   * special ranges such as loopback and private networks refused unless allowed). Not checked when absent;
   * hosts pass one. Ignored with a caller's `transport`.
   */
  hostPolicy?: HostPolicyInput;
  /** Called after every attempt: delivered, retry scheduled, or dead-lettered. */
  onResult?: (result: DeliveryResult) => void | Promise<void>;
  /** Failures of the worker itself (store unreachable, a throwing onResult). The worker keeps going. */
  onError?: (error: unknown) => void;
}

/**
 * Claims due deliveries from the outbox, sends them and records each attempt. Safe to run in several
 * processes against one store: claims are atomic leases, and a delivery whose worker died mid-attempt is
 * claimed again when its lease expires (or at once, by the same host restarting with a stable `workerId`).
 */
export class DeliveryWorker {
  readonly workerId: string;
  private readonly store: Store;
  private readonly destinations: DestinationSet;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly stableId: boolean;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly random: RandomSource;
  private readonly concurrency: number;
  private readonly perDestination: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMarginMs: number;
  private readonly onResult?: DeliveryWorkerOptions['onResult'];
  private readonly onError: (error: unknown) => void;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightByDestination = new Map<DestinationRuntime, number>();
  /** Attempts that end close together are recorded in one transaction; each result waits for its commit. */
  private readonly records: GroupCommit<FinishedAttempt, DeliveryResult | undefined>;
  private prepared?: Promise<void>;
  private stopped?: Promise<void>;
  private running = false;
  private timer?: { handle: unknown; dueAt: number };
  private ticking?: Promise<void>;
  private tickRequested = false;
  private cursor = 0;
  /** Attempts whose answer is in and whose record has not committed yet. */
  private recording = 0;

  constructor(options: DeliveryWorkerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.random = options.random ?? Math.random;
    this.ownsTransport = options.transport === undefined;
    this.transport = options.transport ?? new UndiciTransport(options.hostPolicy ? { hostPolicy: options.hostPolicy } : {});
    const runtimeOf = (destination: DestinationConfigInput | DestinationConfig) => destinationRuntime(destination, this.transport, this.clock);
    this.destinations = new DestinationSet(options.destinations ?? [], runtimeOf, options.destinationSource);
    this.stableId = options.workerId !== undefined;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.concurrency = Math.max(1, options.concurrency ?? 16);
    this.perDestination = Math.max(1, options.maxInFlightPerDestination ?? this.concurrency);
    this.pollIntervalMs = Math.max(1, options.pollIntervalMs ?? 1_000);
    this.leaseMarginMs = Math.max(0, options.leaseMarginMs ?? 30_000);
    this.onResult = options.onResult;
    this.onError = options.onError ?? (() => undefined);
    this.records = new GroupCommit((attempts) => recordAttempts(this.store, attempts));
  }

  /** Resumes due work at once — including attempts a previous run of this host left unfinished — then keeps polling. */
  async start(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    await this.prepare();
    this.schedule(0);
  }

  /** Stops claiming and waits for the attempts in flight to be sent and recorded. The worker cannot be started again. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  /** Looks for due work now instead of at the next poll (e.g. right after enqueuing). */
  wake(): void {
    this.schedule(0);
  }

  /** Reads the destination source again now (e.g. right after a destination was sealed), then looks for due work. */
  reloadDestinations(): void {
    this.destinations.markStale();
    this.schedule(0);
  }

  /** One round without the polling loop: claims what is due now (up to the concurrency), sends it, records it. */
  async runOnce(): Promise<DeliveryResult[]> {
    await this.prepare();
    const jobs = await this.claim();
    const results = await Promise.all(jobs.map(([runtime, job]) => this.process(runtime, job)));
    return results.filter((result): result is DeliveryResult => result !== undefined);
  }

  /** Rounds of {@link runOnce} until nothing more is due at the current time. */
  async runUntilIdle(maxRounds = 1_000): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = [];
    for (let round = 0; round < maxRounds; round++) {
      const batch = await this.runOnce();
      if (batch.length === 0) break;
      results.push(...batch);
    }
    return results;
  }

  private async shutDown(): Promise<void> {
    this.running = false;
    if (this.timer) this.timers.clearTimeout(this.timer.handle);
    this.timer = undefined;
    await this.ticking;
    await Promise.allSettled([...this.inFlight]);
    if (this.ownsTransport) await this.transport.close();
  }

  /** Registers the destinations and, under a stable id, takes back this host's leases; once, unless it fails. */
  private prepare(): Promise<void> {
    this.prepared ??= this.store
      .transaction(async (repositories) => {
        const now = this.clock.now();
        for (const { config } of this.destinations.fixedRuntimes) await repositories.destinations.ensure(config.tenant, config.id, config.kind, now);
        if (this.stableId) await repositories.deliveries.releaseLeases(this.workerId, now);
      })
      .catch((error: unknown) => {
        this.prepared = undefined;
        throw error;
      });
    return this.prepared;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    const dueAt = this.clock.now() + delayMs;
    if (this.timer && this.timer.dueAt <= dueAt) return;
    if (this.timer) this.timers.clearTimeout(this.timer.handle);
    const handle = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delayMs);
    this.timer = { handle, dueAt };
  }

  private tick(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.tickRequested = true;
      return;
    }
    this.ticking = this.claimAndLaunch()
      .catch((error: unknown) => this.onError(error))
      .then((claimedSome) => {
        this.ticking = undefined;
        const again = this.tickRequested || claimedSome === true;
        this.tickRequested = false;
        this.schedule(again ? 0 : this.pollIntervalMs);
      });
  }

  private async claimAndLaunch(): Promise<boolean> {
    const jobs = await this.claim();
    for (const [runtime, job] of jobs) this.launch(runtime, job);
    return jobs.length > 0;
  }

  private launch(runtime: DestinationRuntime, job: DeliveryJob): void {
    const work = this.process(runtime, job).then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
    const tracked = work.finally(() => {
      this.inFlight.delete(tracked);
      this.schedule(0);
    });
    this.inFlight.add(tracked);
  }

  /** Round-robin over destinations, so one busy destination does not starve the others. */
  private async claim(): Promise<Array<[DestinationRuntime, DeliveryJob]>> {
    const claimed: Array<[DestinationRuntime, DeliveryJob]> = [];
    if (!this.worthClaiming()) return claimed;
    const runtimes = await this.destinations.current(this.store, this.clock.now(), this.pollIntervalMs, this.onError);
    const count = runtimes.length;
    const start = this.cursor;
    this.cursor = count === 0 ? 0 : (this.cursor + 1) % count;
    for (let offset = 0; offset < count; offset++) {
      const free = this.freeSlots();
      if (free < 1) break;
      const runtime = runtimes[(start + offset) % count]!;
      const limit = Math.min(free, this.perDestination - (this.inFlightByDestination.get(runtime) ?? 0));
      if (limit < 1) continue;
      const now = this.clock.now();
      const jobs = await claimJobs(this.store, runtime, { owner: this.workerId, now, limit, leaseMs: 2 * runtime.policy.timeoutMs + this.leaseMarginMs });
      for (const job of jobs) claimed.push([runtime, job]);
      this.adjustInFlight(runtime, jobs.length);
    }
    return claimed;
  }

  /**
   * Claims wait until a quarter of the slots is free (or nothing is being sent), so that one transaction leases
   * several deliveries instead of one per answer; the requests still in flight keep the receiver busy meanwhile.
   */
  private worthClaiming(): boolean {
    return this.inFlightCount() === 0 || this.freeSlots() >= Math.max(1, Math.floor(this.concurrency / 4));
  }

  /**
   * Requests that may start now: up to the concurrency, while the attempts still waiting for their record to
   * commit are no more than the concurrency again (so a slow store holds back new claims instead of piling up).
   */
  private freeSlots(): number {
    const sending = this.inFlightCount();
    return Math.min(this.concurrency - sending, 2 * this.concurrency - sending - this.recording);
  }

  private inFlightCount(): number {
    let total = 0;
    for (const count of this.inFlightByDestination.values()) total += count;
    return total;
  }

  /** Entries go at zero: a reloaded destination may have been replaced by a new runtime. */
  private adjustInFlight(runtime: DestinationRuntime, delta: number): void {
    const count = (this.inFlightByDestination.get(runtime) ?? 0) + delta;
    if (count === 0) this.inFlightByDestination.delete(runtime);
    else this.inFlightByDestination.set(runtime, count);
  }

  /** Sends one delivery, then records how it went; the request's slot is free again as soon as the answer is in. */
  private async process(runtime: DestinationRuntime, job: DeliveryJob): Promise<DeliveryResult | undefined> {
    const attempt = await this.send(runtime, job);
    this.recording++;
    try {
      const result = await this.records.submit(attempt);
      if (result) await this.emit(result);
      return result;
    } finally {
      this.recording--;
    }
  }

  private async send(runtime: DestinationRuntime, job: DeliveryJob): Promise<FinishedAttempt> {
    try {
      const startedAt = this.clock.now();
      const started = performance.now();
      const report = await this.attempt(runtime, job);
      const timing = { startedAt, finishedAt: this.clock.now(), durationMs: performance.now() - started };
      const step = nextStep(report.classification, job.delivery.attempts, runtime.policy.retry, timing.finishedAt, this.random);
      return { runtime, job, report, step, timing, workerId: this.workerId };
    } finally {
      this.adjustInFlight(runtime, -1);
      this.schedule(0);
    }
  }

  private async attempt(runtime: DestinationRuntime, job: DeliveryJob): Promise<AttemptReport> {
    if (job.delivery.attempts > runtime.policy.retry.maxAttempts) {
      // Reclaimed after its worker died on the last attempt the budget allowed.
      return { classification: { outcome: 'terminal', reason: 'attempts_exhausted' }, httpStatus: null, response: null };
    }
    try {
      return await runtime.adapter.deliver(job);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { classification: classifyError(error), httpStatus: null, response: null, error: redactText(message, runtime.secrets).slice(0, 500) };
    }
  }

  private async emit(result: DeliveryResult): Promise<void> {
    try {
      await this.onResult?.(result);
    } catch (error) {
      this.onError(error);
    }
  }
}

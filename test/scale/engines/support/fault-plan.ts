import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Fault {
  name: string;
  /** Earliest and latest point of the first wave (0..1) at which it may strike. */
  window: [number, number];
  strike: () => Promise<void>;
}

export interface Struck {
  name: string;
  at: number;
  /** Wall-clock time it struck (HH:MM:SS.mmm), to line it up with the answers. */
  clock: string;
  tookMs: number;
  error?: string;
}

/**
 * Faults at random points of the traffic: each gets a random moment inside its window; when the traffic has
 * gone that far the fault strikes in the background (the senders keep sending). One fault at a time: a fault
 * whose moment comes while the one before is still running (a slow restart) strikes {@link SETTLE_MS} after
 * that one is over, as an operator's incidents come one after another: two outages at once (Redis and
 * PostgreSQL together) are another test. `settled()` waits for all of them, so the checks only
 * run once every process is back.
 */
/** The pause between a fault that ends and one whose moment has already come. */
const SETTLE_MS = 5_000;

export class FaultPlan {
  readonly struck: Struck[] = [];
  private readonly planned: Array<Fault & { at: number }>;
  private chain: Promise<void> = Promise.resolve();
  /** Faults queued or running: one that comes while another is, waits for the settle pause after it. */
  private active = 0;

  constructor(faults: Fault[]) {
    this.planned = faults.map((fault) => ({ ...fault, at: fault.window[0] + (randomInt(1_000) / 1_000) * (fault.window[1] - fault.window[0]) }));
  }

  /** The planned moments, for the log (a failure names where each fault struck). */
  describe(): string {
    return this.planned.map((fault) => `${fault.name} at ${(fault.at * 100).toFixed(0)}%`).join(', ');
  }

  progress(fraction: number): void {
    for (const fault of this.planned.filter((candidate) => candidate.at <= fraction)) {
      this.planned.splice(this.planned.indexOf(fault), 1);
      const queuedBehind = this.active > 0;
      this.active++;
      this.chain = this.chain.then(async () => {
        if (queuedBehind) await sleep(SETTLE_MS);
        const startedAt = Date.now();
        const clock = new Date(startedAt).toISOString().slice(11, 23);
        return fault.strike().then(
          () => void this.struck.push({ name: fault.name, at: fraction, clock, tookMs: Date.now() - startedAt }),
          (error: unknown) => void this.struck.push({ name: fault.name, at: fraction, clock, tookMs: Date.now() - startedAt, error: String(error) }),
        ).finally(() => {
          this.active--;
        });
      });
    }
  }

  /** Strikes whatever has not struck yet (the traffic ended first), then waits for every fault to finish. */
  async settled(): Promise<Struck[]> {
    this.progress(1);
    await this.chain;
    return this.struck;
  }
}

/** The faults as they struck, for a run's summary line. */
export function describeStruck(struck: readonly Struck[]): string {
  return `faults: ${struck.map((fault) => `${fault.name} (${(fault.at * 100).toFixed(0)}%, at ${fault.clock}, ${fault.tookMs} ms)`).join('; ')}`;
}

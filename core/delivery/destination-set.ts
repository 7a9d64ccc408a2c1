import { isDeepStrictEqual } from 'node:util';
import type { Store } from '../store/store';
import { destinationSchema, type DestinationConfig, type DestinationConfigInput } from './destination-config';
import type { DestinationRuntime } from './destination-runtime';

/**
 * Destinations that may appear, change or go while a worker runs (e.g. configs sealed in the store). Called
 * when the worker starts and then once per poll interval; problems with single destinations go to `report`
 * and leave the others served.
 */
export type DestinationSource = (store: Store, report: (error: unknown) => void) => Promise<DestinationConfig[]>;

type MakeRuntime = (config: DestinationConfigInput | DestinationConfig) => DestinationRuntime;

const keyOf = (config: DestinationConfig) => `${config.tenant}\u0000${config.id}`;

/**
 * What a worker serves: the destinations its host gave it, plus what a source yields. Runtimes of unchanged
 * configs are kept across reloads (their adapters hold lookups such as incident.io severities).
 */
export class DestinationSet {
  private readonly fixed: DestinationRuntime[];
  private readonly fixedKeys: Set<string>;
  private loaded = new Map<string, DestinationRuntime>();
  private all: DestinationRuntime[];
  private loadedAt?: number;

  constructor(
    destinations: ReadonlyArray<DestinationConfigInput | DestinationConfig>,
    private readonly make: MakeRuntime,
    private readonly source?: DestinationSource,
  ) {
    this.fixed = destinations.map((destination) => make(destination));
    this.fixedKeys = new Set(this.fixed.map((runtime) => keyOf(runtime.config)));
    this.all = this.fixed;
  }

  /** The host's own destinations, registered in the store when the worker starts. */
  get fixedRuntimes(): readonly DestinationRuntime[] {
    return this.fixed;
  }

  /** Asks for a reload at the next {@link current} call, whatever the interval. */
  markStale(): void {
    this.loadedAt = undefined;
  }

  /** The runtimes to claim for, reloading the source when `intervalMs` has passed; a failed reload keeps the last set. */
  async current(store: Store, now: number, intervalMs: number, report: (error: unknown) => void): Promise<readonly DestinationRuntime[]> {
    if (!this.source || (this.loadedAt !== undefined && now - this.loadedAt < intervalMs)) return this.all;
    this.loadedAt = now;
    try {
      this.replace(await this.source(store, report), report);
    } catch (error) {
      report(error);
    }
    return this.all;
  }

  private replace(configs: DestinationConfig[], report: (error: unknown) => void): void {
    const next = new Map<string, DestinationRuntime>();
    for (const input of configs) {
      try {
        const config = destinationSchema.parse(input);
        const key = keyOf(config);
        if (this.fixedKeys.has(key) || next.has(key)) continue;
        const previous = this.loaded.get(key);
        next.set(key, previous && isDeepStrictEqual(previous.config, config) ? previous : this.make(config));
      } catch (error) {
        report(error);
      }
    }
    this.loaded = next;
    this.all = [...this.fixed, ...next.values()];
  }
}

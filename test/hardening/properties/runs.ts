/**
 * How many cases each property tries. The default keeps `npm test` quick; raise HARDENING_PROPERTY_RUNS for a
 * longer search (e.g. 2000). The seed can be pinned with HARDENING_SEED to replay a failure fast-check printed.
 */
export function propertyRuns(defaultRuns: number): { numRuns: number; seed?: number } {
  const runs = Number(process.env.HARDENING_PROPERTY_RUNS);
  const seed = Number(process.env.HARDENING_SEED);
  return { numRuns: Number.isFinite(runs) && runs > 0 ? Math.round((runs * defaultRuns) / 100) : defaultRuns, ...(Number.isFinite(seed) ? { seed } : {}) };
}

/** Tallies of what the properties tried, printed for the closing note. */
export const tally: Record<string, number> = {};

export function count(name: string): void {
  tally[name] = (tally[name] ?? 0) + 1;
}

export function printTally(suite: string): void {
  console.log(`HARDENING properties suite=${suite} ${Object.entries(tally).map(([name, runs]) => `${name}=${runs}`).join(' ')}`);
}

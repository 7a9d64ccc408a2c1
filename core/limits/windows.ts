const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Start of the clock hour containing `now` (epoch ms, UTC). */
export const hourWindow = (now: number): number => Math.floor(now / HOUR_MS) * HOUR_MS;

/** Start of the UTC day containing `now`. */
export const dayWindow = (now: number): number => Math.floor(now / DAY_MS) * DAY_MS;

/** Start of the fixed window of `seconds` containing `now`. */
export const fixedWindow = (now: number, seconds: number): number => Math.floor(now / (seconds * 1000)) * seconds * 1000;

/** Whole seconds until the UTC day containing `now` ends (at least 1). */
export const secondsUntilNextDay = (now: number): number => Math.max(1, Math.ceil((dayWindow(now) + DAY_MS - now) / 1000));

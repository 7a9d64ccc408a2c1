export const HOUR_MS = 3_600_000;

/** The same wall-clock time one calendar month later (UTC), clamped to the month's last day. */
export function addOneMonth(at: number): number {
  const date = new Date(at);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime();
}

/** `YYYY-MM-DD` of an instant in UTC. */
const isoDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

/**
 * Moves a deadline that falls on a weekend or listed holiday to 12:00 UTC of the next working day
 * (the relief DORA allows some entities).
 */
export function toNextWorkingDayNoon(at: number, holidays: readonly string[]): number {
  const isWorkingDay = (t: number) => {
    const weekday = new Date(t).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !holidays.includes(isoDay(t));
  };
  if (isWorkingDay(at)) return at;
  let day = Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth(), new Date(at).getUTCDate() + 1, 12);
  while (!isWorkingDay(day)) day += 24 * HOUR_MS;
  return day;
}

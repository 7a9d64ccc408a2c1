/**
 * Provider dates → ISO 8601 UTC (`2024-06-10T08:39:58.456Z`).
 *
 * Understands ISO 8601 with or without a colon in the offset (Jira's `+0000`), `YYYY-MM-DD hh:mm:ss`
 * (ServiceNow), `YYYY.MM.DD hh:mm:ss` (Zabbix), and epoch numbers or numeric strings in seconds,
 * milliseconds, microseconds or nanoseconds (Opsgenie). Wall-clock times without an offset are read in
 * `zone` (IANA name such as `Europe/Berlin`, a fixed offset such as `+02:00`, or `UTC`, the default).
 *
 * This file is loaded by the mapping worker straight from source in tests: keep it to erasable syntax
 * (no enums, namespaces or parameter properties) and `import type` for type-only imports.
 */

export const TIME_FORMATS = ['auto', 'iso', 'epoch-s', 'epoch-ms', 'epoch-us', 'epoch-ns'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

type EpochUnit = 'epoch-s' | 'epoch-ms' | 'epoch-us' | 'epoch-ns';

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
// Linear pattern (no nested quantifiers): it runs in-process on untrusted payloads.
const DATE_TIME =
  /^(\d{4})[-./](\d{2})[-./](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s?(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const UNITS_PER_MS: Record<EpochUnit, number> = { 'epoch-s': 0.001, 'epoch-ms': 1, 'epoch-us': 1_000, 'epoch-ns': 1_000_000 };

/**
 * The UTC ISO form of `value`, `undefined` when the value is absent (null, blank), or the original text when
 * it cannot be read as a date — so validation can show the reviewer what arrived.
 */
export function toUtcIso(value: unknown, format?: string, zone?: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return fromEpoch(value, unitFor(value, format));
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const converted = NUMERIC.test(text) && format !== 'iso' ? fromEpochText(text, format) : fromDateText(text, zone ?? 'UTC');
  return converted ?? value;
}

function unitFor(value: number, format: string | undefined): EpochUnit {
  if (format === 'epoch-s' || format === 'epoch-ms' || format === 'epoch-us' || format === 'epoch-ns') return format;
  const magnitude = Math.abs(value);
  if (magnitude < 1e11) return 'epoch-s';
  if (magnitude < 1e14) return 'epoch-ms';
  if (magnitude < 1e17) return 'epoch-us';
  return 'epoch-ns';
}

function fromEpoch(value: number, unit: EpochUnit): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // Rounding, not truncating: a nanosecond count parsed as a float lands a hair below the exact millisecond.
  return isoOf(Math.round(value / UNITS_PER_MS[unit]));
}

/** Integer micro/nanosecond strings exceed float precision, so they are divided as BigInt. */
function fromEpochText(text: string, format: string | undefined): string | undefined {
  const unit = unitFor(Number(text), format);
  if ((unit === 'epoch-ns' || unit === 'epoch-us') && !text.includes('.')) {
    const divisor = unit === 'epoch-ns' ? 1_000_000n : 1_000n;
    return isoOf(Number(BigInt(text) / divisor));
  }
  return fromEpoch(Number(text), unit);
}

function fromDateText(text: string, zone: string): string | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return fromRfc2822(text);
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match;
  const wall = { year: +year, month: +month, day: +day, hour: +hour, minute: +minute, second: +second };
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  if (!sameWallTime(wallMs, wall)) return undefined;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utcMs = offset !== undefined ? wallMs - offsetMinutes(offset) * 60_000 : wallTimeInZone(wallMs, zone);
  return utcMs === undefined ? undefined : isoOf(utcMs + millis);
}

/** `Mon, 10 Jun 2024 08:40:12 GMT` and the like, only when they name their zone. */
function fromRfc2822(text: string): string | undefined {
  if (!/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? (?:GMT|UTC|[+-]\d{4})$/.test(text)) return undefined;
  return isoOf(Date.parse(text));
}

function sameWallTime(ms: number, wall: { year: number; month: number; day: number; hour: number; minute: number; second: number }): boolean {
  const date = new Date(ms);
  return (
    date.getUTCFullYear() === wall.year &&
    date.getUTCMonth() === wall.month - 1 &&
    date.getUTCDate() === wall.day &&
    date.getUTCHours() === wall.hour &&
    date.getUTCMinutes() === wall.minute &&
    date.getUTCSeconds() === wall.second
  );
}

function offsetMinutes(offset: string): number {
  if (/^(Z|z|UTC|GMT)$/.test(offset)) return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

/**
 * UTC instant of a wall-clock time in `zone`. Offsets half a day either side cover any DST change: in an
 * overlap the earlier instant wins, and a time inside a gap is read with the offset before the change.
 */
function wallTimeInZone(wallMs: number, zone: string): number | undefined {
  if (isFixedOffset(zone)) return wallMs - offsetMinutes(zone) * 60_000;
  const before = zoneOffsetMinutes(wallMs - HALF_DAY_MS, zone);
  const after = zoneOffsetMinutes(wallMs + HALF_DAY_MS, zone);
  if (before === undefined || after === undefined) return undefined;
  const consistent = [before, after]
    .map((offset) => wallMs - offset * 60_000)
    .filter((instant) => zoneOffsetMinutes(instant, zone) === (wallMs - instant) / 60_000);
  return consistent.length > 0 ? Math.min(...consistent) : wallMs - before * 60_000;
}

const HALF_DAY_MS = 12 * 60 * 60 * 1000;

function isFixedOffset(zone: string): boolean {
  return /^(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$/.test(zone);
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  if (!zoneFormatters.has(zone)) {
    let formatter: Intl.DateTimeFormat | null = null;
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      formatter = null;
    }
    zoneFormatters.set(zone, formatter);
  }
  return zoneFormatters.get(zone) ?? null;
}

function zoneOffsetMinutes(utcMs: number, zone: string): number | undefined {
  const formatter = formatterFor(zone);
  if (!formatter) return undefined;
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** True for IANA zone names Node knows, `UTC`, and fixed offsets like `+02:00`. */
export function isValidTimeZone(zone: string): boolean {
  return isFixedOffset(zone) || formatterFor(zone) !== null;
}

function isoOf(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

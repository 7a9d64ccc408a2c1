import { describe, expect, it } from 'vitest';
import { isValidTimeZone, toUtcIso } from '../../core/mapping/utc-time';

describe('toUtcIso', () => {
  it.each([
    ['ISO with Z', '2024-06-10T08:39:58.456Z', undefined, undefined, '2024-06-10T08:39:58.456Z'],
    ['Jira offset without colon', '2024-06-10T08:39:58.456+0000', undefined, undefined, '2024-06-10T08:39:58.456Z'],
    ['Jira Automation +0530', '2024-06-10T14:05:00.000+0530', undefined, undefined, '2024-06-10T08:35:00.000Z'],
    ['offset with colon', '2024-06-10T10:42:00+02:00', undefined, undefined, '2024-06-10T08:42:00.000Z'],
    ['hour-only offset', '2024-06-10T03:42:00-05', undefined, undefined, '2024-06-10T08:42:00.000Z'],
    ['7-digit fraction (Sentinel)', '2024-06-09T21:45:31.8726452Z', undefined, undefined, '2024-06-09T21:45:31.872Z'],
    ['ServiceNow wall time, UTC', '2024-06-10 08:41:07', 'auto', 'UTC', '2024-06-10T08:41:07.000Z'],
    ['Zabbix date + time in Berlin summer', '2024.06.10 08:40:12', 'auto', 'Europe/Berlin', '2024-06-10T06:40:12.000Z'],
    ['Zabbix date + time in Berlin winter', '2024.01.15 23:30:00', 'auto', 'Europe/Berlin', '2024-01-15T22:30:00.000Z'],
    ['wall time in a fixed offset zone', '2024-06-10 08:00', 'auto', '-03:30', '2024-06-10T11:30:00.000Z'],
    ['date only', '2024-06-10', undefined, undefined, '2024-06-10T00:00:00.000Z'],
    ['epoch seconds (Splunk _time)', '1718008920', undefined, undefined, '2024-06-10T08:42:00.000Z'],
    ['epoch seconds with fraction', '1718008920.250', undefined, undefined, '2024-06-10T08:42:00.250Z'],
    ['epoch milliseconds string (Datadog)', '1718008740000', undefined, undefined, '2024-06-10T08:39:00.000Z'],
    ['epoch milliseconds number', 1718008800123, undefined, undefined, '2024-06-10T08:40:00.123Z'],
    ['epoch nanoseconds string (exact)', '1718008800450000000', undefined, undefined, '2024-06-10T08:40:00.450Z'],
    ['epoch nanoseconds number (float)', 1718008800450000000, undefined, undefined, '2024-06-10T08:40:00.450Z'],
    ['epoch microseconds', '1718008800450123', undefined, undefined, '2024-06-10T08:40:00.450Z'],
    ['forced unit', '1718008920', 'epoch-ms', undefined, '1970-01-20T21:13:28.920Z'],
    ['RFC 2822 with zone', 'Mon, 10 Jun 2024 08:40:12 GMT', undefined, undefined, '2024-06-10T08:40:12.000Z'],
  ])('%s', (_name, value, format, zone, expected) => {
    expect(toUtcIso(value, format, zone)).toBe(expected);
  });

  it('treats null, blanks and a lone separator (both halves absent) as absent', () => {
    expect(toUtcIso(null)).toBeUndefined();
    expect(toUtcIso(undefined)).toBeUndefined();
    expect(toUtcIso('   ')).toBeUndefined();
  });

  it('returns unreadable text unchanged so validation can show it', () => {
    expect(toUtcIso('yesterday')).toBe('yesterday');
    expect(toUtcIso('2024-02-30 10:00:00')).toBe('2024-02-30 10:00:00');
    expect(toUtcIso('2024-06-10 25:00:00')).toBe('2024-06-10 25:00:00');
  });

  it('leaves wall time as-is when the zone is unknown', () => {
    expect(toUtcIso('2024-06-10 08:00:00', 'auto', 'Mars/Olympus')).toBe('2024-06-10 08:00:00');
  });

  it('handles wall times inside a DST gap and overlap deterministically', () => {
    // 02:30 does not exist on 2024-03-31 in Berlin; it is read with the pre-change offset.
    expect(toUtcIso('2024-03-31 02:30:00', 'auto', 'Europe/Berlin')).toBe('2024-03-31T01:30:00.000Z');
    // 02:30 happens twice on 2024-10-27; the first (summer time) reading wins.
    expect(toUtcIso('2024-10-27 02:30:00', 'auto', 'Europe/Berlin')).toBe('2024-10-27T00:30:00.000Z');
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names, UTC and fixed offsets; refuses the rest', () => {
    expect(['Europe/Berlin', 'America/New_York', 'UTC', '+02:00', '-0530', 'Z'].map(isValidTimeZone)).toEqual([true, true, true, true, true, true]);
    expect(['Mars/Olympus', 'CEST+', ''].map(isValidTimeZone)).toEqual([false, false, false]);
  });
});

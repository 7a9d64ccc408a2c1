import { describe, expect, it } from 'vitest';
import { doraDeadlines, nis2Deadlines } from '../../core/regulatory/deadlines';
import { addOneMonth, toNextWorkingDayNoon } from '../../core/regulatory/calendar';

const t = (iso: string) => Date.parse(iso);
const base = { becameAwareAt: t('2026-03-02T08:00:00Z'), doraMajor: true, doraClassifiedAt: t('2026-03-02T10:00:00Z'), nis2Significant: true };

describe('DORA deadlines', () => {
  it('initial = classification + 4 h when that is earlier than awareness + 24 h', () => {
    expect(doraDeadlines(base)[0]).toMatchObject({ report: 'dora.initial', due: '2026-03-02T14:00:00.000Z' });
  });
  it('initial = awareness + 24 h when classification came late', () => {
    expect(doraDeadlines({ ...base, doraClassifiedAt: t('2026-03-03T06:00:00Z') })[0]!.due).toBe('2026-03-03T08:00:00.000Z');
  });
  it('intermediate runs from the submitted initial, final from the latest intermediate', () => {
    const [, intermediate, final] = doraDeadlines({ ...base, doraInitialSubmittedAt: t('2026-03-02T13:00:00Z'), doraIntermediateSubmittedAt: t('2026-03-04T09:30:00Z') });
    expect(intermediate).toMatchObject({ due: '2026-03-05T13:00:00.000Z', provisional: false });
    expect(final).toMatchObject({ due: '2026-04-04T09:30:00.000Z', provisional: false });
  });
  it('marks later reports provisional until the earlier one is submitted', () => {
    const [, intermediate, final] = doraDeadlines(base);
    expect(intermediate).toMatchObject({ due: '2026-03-05T14:00:00.000Z', provisional: true });
    expect(final!.provisional).toBe(true);
  });
  it('no DORA clock unless classified major', () => {
    expect(doraDeadlines({ ...base, doraMajor: false })).toEqual([]);
  });
  it('weekend relief moves a Saturday deadline to Monday noon (and past holidays)', () => {
    const saturday = { ...base, becameAwareAt: t('2026-03-06T20:00:00Z'), doraClassifiedAt: t('2026-03-07T09:00:00Z') };
    expect(doraDeadlines(saturday)[0]!.due).toBe('2026-03-07T13:00:00.000Z');
    expect(doraDeadlines(saturday, { doraWeekendRelief: true })[0]!.due).toBe('2026-03-09T12:00:00.000Z');
    expect(doraDeadlines(saturday, { doraWeekendRelief: true, holidays: ['2026-03-09'] })[0]!.due).toBe('2026-03-10T12:00:00.000Z');
  });
});

describe('NIS2 deadlines', () => {
  it('early warning 24 h, notification 72 h, final one month after the notification', () => {
    expect(nis2Deadlines(base).map((d) => d.due)).toEqual(['2026-03-03T08:00:00.000Z', '2026-03-05T08:00:00.000Z', '2026-04-05T08:00:00.000Z']);
  });
  it('trust service providers notify within 24 h', () => {
    expect(nis2Deadlines(base, { trustServiceProvider: true })[1]!.due).toBe('2026-03-03T08:00:00.000Z');
  });
  it('final runs from the actual notification once submitted', () => {
    expect(nis2Deadlines({ ...base, nis2NotificationSubmittedAt: t('2026-03-04T10:00:00Z') })[2]).toMatchObject({ due: '2026-04-04T10:00:00.000Z', provisional: false });
  });
});

describe('calendar', () => {
  it('adds one calendar month, clamping to the month end', () => {
    expect(new Date(addOneMonth(t('2026-01-31T10:00:00Z'))).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(new Date(addOneMonth(t('2026-12-15T00:00:00Z'))).toISOString()).toBe('2027-01-15T00:00:00.000Z');
  });
  it('leaves working days alone', () => {
    expect(toNextWorkingDayNoon(t('2026-03-04T03:00:00Z'), [])).toBe(t('2026-03-04T03:00:00Z'));
  });
});

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntakeOutcome } from '../../../core/intake/outcome';
import { promoteEvent } from '../../../core/review/promote-event';
import { incidentPayload, intakeHarness, type IntakeHarness } from '../../support/intake-fixture';
import { count, printTally, propertyRuns } from './runs';

afterAll(() => printTally('event-order'));

const BASE = Date.parse('2026-11-23T10:00:00.000Z');

/** One incident's events: distinct provider event times, any status, severity and title. */
const events = fc
  .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 6 })
  .chain((minutes) =>
    fc.tuple(
      ...minutes.map((minute) =>
        fc.record({
          eventTime: fc.constant(new Date(BASE + minute * 60_000).toISOString()),
          status: fc.constantFrom('open', 'acknowledged', 'resolved'),
          severity: fc.constantFrom('critical', 'high', 'low'),
          title: fc.constantFrom('Payments down', 'Payments degraded'),
        }),
      ),
    ),
  );
type Event = { eventTime: string; status: string; severity: string; title: string };

/** Every send of the events (each 1–3 times: the sender's retries) in any order, and where a reviewer promotes. */
const schedules = events.chain((list) =>
  fc.array(fc.integer({ min: 1, max: 3 }), { minLength: list.length, maxLength: list.length }).chain((retries) => {
    const sends = retries.flatMap((times, index) => Array<number>(times).fill(index));
    return fc.tuple(
      fc.constant(list as Event[]),
      fc.shuffledSubarray(sends, { minLength: sends.length, maxLength: sends.length }),
      fc.array(fc.boolean(), { minLength: sends.length, maxLength: sends.length }),
    );
  }),
);

const newest = (list: Event[]) => list.reduce((a, b) => (Date.parse(b.eventTime) > Date.parse(a.eventTime) ? b : a));

async function finalState(harness: IntakeHarness) {
  const incidents = await harness.store.transaction((r) => r.incidents.list('acme', { view: 'recent', since: 0 }));
  expect(incidents).toHaveLength(1);
  const [incident] = incidents;
  return { status: incident!.status, severity: incident!.severity, title: incident!.title, lastEventAt: incident!.lastEventAt };
}

async function promotePending(harness: IntakeHarness): Promise<void> {
  const [pending] = await harness.store.transaction((r) => r.events.list('acme', { state: 'pending_review' }));
  if (pending) await promoteEvent(harness.store, 'acme', pending.id, { actor: 'reviewer', reason: 'confirmed' });
}

function expectSenderAnswers(answers: IntakeOutcome[]): void {
  for (const answer of answers) {
    expect([200, 202], JSON.stringify(answer)).toContain(answer.status);
    if (answer.code === 'stale') expect(answer.events.map((event) => event.state)).toEqual(['stale']);
  }
}

describe('out-of-order events', () => {
  it.each(['auto-create', 'review'] as const)('%s: any interleaving of one incident’s events (with retries and reviews in between) ends in the state of its newest event', async (mode) => {
    await fc.assert(
      fc.asyncProperty(schedules, async ([list, order, reviews]) => {
        count(`${mode}-schedules`);
        const harness = await intakeHarness({ mode });
        try {
          const answers: IntakeOutcome[] = [];
          for (const [step, index] of order.entries()) {
            answers.push(await harness.send(incidentPayload(list[index]), { id: `msg_${index}` }));
            if (mode === 'review' && reviews[step]) await promotePending(harness);
          }
          if (mode === 'review') await promotePending(harness);
          expectSenderAnswers(answers);
          const last = newest(list);
          expect(await finalState(harness)).toEqual({ status: last.status, severity: last.severity, title: last.title, lastEventAt: Date.parse(last.eventTime) });
        } finally {
          await harness.store.close();
        }
      }),
      propertyRuns(40),
    );
  });
});

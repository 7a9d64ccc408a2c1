import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntakeOutcome } from '../../../core/intake/outcome';
import { incidentPayload, intakeHarness, type IntakeHarness } from '../../support/intake-fixture';
import { count, printTally, propertyRuns } from './runs';

afterAll(() => printTally('dedupe-interleavings'));

/** One distinct message a sender delivers (with its own webhook-id), possibly several times. */
const message = fc.record({
  key: fc.constantFrom('A', 'B', 'C'),
  status: fc.constantFrom('open', 'acknowledged', 'resolved'),
  severity: fc.constantFrom('high', 'low'),
  title: fc.constantFrom('Payments down', 'Payments degraded'),
});
type Message = typeof message extends fc.Arbitrary<infer T> ? T : never;

/** Messages, and every send of them (each message 1–4 times) in an arbitrary order. */
const schedules = fc.array(message, { minLength: 1, maxLength: 6 }).chain((messages) =>
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: messages.length, maxLength: messages.length }).chain((retries) => {
    const sends = retries.flatMap((times, index) => Array<number>(times).fill(index));
    return fc.tuple(fc.constant(messages), fc.shuffledSubarray(sends, { minLength: sends.length, maxLength: sends.length }));
  }),
);

const payloadOf = (m: Message) => incidentPayload({ externalId: m.key, status: m.status, severity: m.severity, title: m.title });
const send = (harness: IntakeHarness, messages: Message[], index: number) => harness.send(payloadOf(messages[index]!), { id: `msg_${index}` });

interface StoreState {
  receipts: number;
  events: Record<string, number>;
  incidents: Record<string, { status: string; severity: string; title: string; version: number }>;
  unanswered: number;
}

async function stateOf(harness: IntakeHarness): Promise<StoreState> {
  return harness.store.transaction(async (r) => {
    const incidents = await r.incidents.list('acme', { view: 'recent', since: 0, limit: 1000 });
    const receipts = await r.receipts.count('acme');
    return {
      receipts,
      events: await r.events.countByState('acme'),
      incidents: Object.fromEntries(incidents.map((i) => [i.dedupeKey, { status: i.status, severity: i.severity, title: i.title, version: i.version }])),
      unanswered: 0,
    };
  });
}

/** The same messages, each sent once, in the order of their first send: what retries must not change. */
async function reference(messages: Message[], order: number[]): Promise<StoreState> {
  const harness = await intakeHarness({ mode: 'auto-create' });
  try {
    for (const index of [...new Set(order)]) await send(harness, messages, index);
    return await stateOf(harness);
  } finally {
    await harness.store.close();
  }
}

/** Every answer to a message's sends names the same receipt; retries echo the first answer's status. */
function expectConsistentAnswers(answers: Array<[number, IntakeOutcome]>): void {
  const first = new Map<number, IntakeOutcome>();
  for (const [index, answer] of answers) {
    expect(answer.code, JSON.stringify(answer)).not.toBe('internal_error');
    const earlier = first.get(index);
    if (!earlier) {
      first.set(index, answer);
      continue;
    }
    expect(answer.receiptId).toBe(earlier.receiptId);
    expect(answer.status).toBe(earlier.status);
  }
  for (const answer of first.values()) expect([200, 202]).toContain(answer.status);
}

describe('dedupe under retries', () => {
  it('sent one after another in any interleaving, retries change nothing: the store equals each message sent once', async () => {
    await fc.assert(
      fc.asyncProperty(schedules, async ([messages, order]) => {
        count('sequential-schedules');
        const harness = await intakeHarness({ mode: 'auto-create' });
        try {
          const answers: Array<[number, IntakeOutcome]> = [];
          for (const index of order) answers.push([index, await send(harness, messages, index)]);
          count(`sends:${order.length > messages.length ? 'with-retries' : 'no-retries'}`);
          expectConsistentAnswers(answers);
          expect(await stateOf(harness)).toEqual(await reference(messages, order));
        } finally {
          await harness.store.close();
        }
      }),
      propertyRuns(300),
    );
  });

  it('sent concurrently in batches, every message is stored exactly once and every answer agrees', async () => {
    await fc.assert(
      fc.asyncProperty(schedules, fc.integer({ min: 2, max: 6 }), async ([messages, order], batchSize) => {
        count('concurrent-schedules');
        const harness = await intakeHarness({ mode: 'auto-create' });
        try {
          const answers: Array<[number, IntakeOutcome]> = [];
          for (let start = 0; start < order.length; start += batchSize) {
            const batch = order.slice(start, start + batchSize);
            const results = await Promise.all(batch.map((index) => send(harness, messages, index)));
            batch.forEach((index, i) => answers.push([index, results[i]!]));
          }
          expectConsistentAnswers(answers);
          const state = await stateOf(harness);
          const expected = await reference(messages, order);
          expect(state.receipts).toBe(new Set(order).size);
          expect(Object.values(state.events).reduce((a, b) => a + b, 0)).toBe(new Set(order).size);
          expect(Object.keys(state.incidents).sort()).toEqual(Object.keys(expected.incidents).sort());
        } finally {
          await harness.store.close();
        }
      }),
      propertyRuns(300),
    );
  });
});

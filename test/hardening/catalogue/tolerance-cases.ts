import { ACCEPTED_FOR_REVIEW, NOTHING_STORED, type BadRequestCase, type Expectation } from './case';
import { alertBody, signed, startOfSecond } from './requests';
import type { SourceKey } from './sources';

const TOLERANCE = 300;
const TIMESTAMPED: SourceKey[] = ['sw', 'stripe', 'grafana'];

const accepted: Expectation = { status: 202, outcome: 'accepted', reason: /1 pending_review/, stored: ACCEPTED_FOR_REVIEW };
const outside = (direction: string): Expectation => ({ status: 401, outcome: 'unauthorized', reason: new RegExp(`timestamp_out_of_tolerance.*too ${direction}: 301 s`), stored: NOTHING_STORED });

/** Signed `offset` seconds away from the host's clock, sent early in a second so the host sees the same second. */
function at(source: SourceKey, offset: number): BadRequestCase['request'] {
  return async (c) => {
    const now = await startOfSecond();
    return signed(c, source, alertBody(c), undefined, { timestamp: now + offset });
  };
}

export const TOLERANCE_CASES: BadRequestCase[] = TIMESTAMPED.flatMap((source): BadRequestCase[] => [
  { id: `tolerance-${source}-past-edge`, group: 'timestamp tolerance', sameSecond: true, title: `${source}: exactly ${TOLERANCE} s old`, request: at(source, -TOLERANCE), expect: accepted },
  { id: `tolerance-${source}-past-over`, group: 'timestamp tolerance', sameSecond: true, title: `${source}: ${TOLERANCE + 1} s old`, request: at(source, -TOLERANCE - 1), expect: outside('old') },
  { id: `tolerance-${source}-future-edge`, group: 'timestamp tolerance', sameSecond: true, title: `${source}: exactly ${TOLERANCE} s ahead`, request: at(source, TOLERANCE), expect: accepted },
  { id: `tolerance-${source}-future-over`, group: 'timestamp tolerance', sameSecond: true, title: `${source}: ${TOLERANCE + 1} s ahead`, request: at(source, TOLERANCE + 1), expect: outside('new') },
]);

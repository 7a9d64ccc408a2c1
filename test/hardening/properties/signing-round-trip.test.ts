import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { signRequest, verifyRequest } from '../../../core/signing';
import { bodies, hmacKeysEquivalent, messageIds, signedSetups } from './signing-arbitraries';
import { count, printTally, propertyRuns } from './runs';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

afterAll(() => printTally('signing-round-trip'));

describe('signing round-trips for every scheme', () => {
  it('whatever the body, secret, id and timestamp within tolerance, a signed request verifies', () => {
    fc.assert(
      fc.property(signedSetups, bodies, messageIds, fc.integer({ min: -300, max: 300 }), (setup, body, id, skew) => {
        count(`round-trip:${setup.scheme}`);
        const headers = signRequest(setup.scheme, setup.secret, body, { ...setup.signOptions, id, timestamp: NOW_SECONDS + skew });
        const result = verifyRequest(setup.auth, { headers, rawBody: body, now: NOW });
        expect(result, JSON.stringify({ headers, result })).toMatchObject({ ok: true });
        if (setup.covers.id) expect(result).toMatchObject({ messageId: id, replayKey: `id:${id}` });
      }),
      propertyRuns(1000),
    );
  });

  it('a request verifies under any one of several live secrets (rotation), never under none of them', () => {
    fc.assert(
      fc.property(signedSetups, signedSetups, bodies, (setup, other, body) => {
        fc.pre(other.scheme === setup.scheme && !hmacKeysEquivalent(other.secret, setup.secret));
        count('rotation');
        const headers = signRequest(setup.scheme, setup.secret, body, { ...setup.signOptions, timestamp: NOW_SECONDS });
        const both = { ...setup.auth, secrets: [{ value: other.secret }, { value: setup.secret }] };
        const onlyOther = { ...setup.auth, secrets: [{ value: other.secret }] };
        expect(verifyRequest(both, { headers, rawBody: body, now: NOW }).ok).toBe(true);
        expect(verifyRequest(onlyOther, { headers, rawBody: body, now: NOW }).ok).toBe(false);
      }),
      propertyRuns(300),
    );
  });
});

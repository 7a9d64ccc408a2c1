import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { signRequest, verifyRequest } from '../../../core/signing';
import { bodies, messageIds, signedSetups, type SignedSetup } from './signing-arbitraries';
import { count, printTally, propertyRuns } from './runs';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

afterAll(() => printTally('signing-tamper'));

/** `text` with the byte at `index` (modulo its length) replaced by a different printable byte. */
function changeOneByte(text: string, index: number, replacement: number): string {
  const bytes = Buffer.from(text, 'latin1');
  const at = index % bytes.length;
  const next = 0x20 + ((replacement % 0x5f) || 1);
  bytes[at] = bytes[at] === next ? (next === 0x7e ? 0x21 : next + 1) : next;
  return bytes.toString('latin1');
}

type Part = 'body' | 'id' | 'timestamp';

/** The header that carries a part, as the scheme signs it. */
function headerOf(setup: SignedSetup, headers: Record<string, string>, part: 'id' | 'timestamp'): string {
  if (part === 'id') return 'webhook-id';
  if (setup.covers.timestamp === 'stripe') return 'Stripe-Signature';
  return setup.signOptions.timestampHeader ?? 'webhook-timestamp';
}

/** Changes exactly one byte of the body, the id, or the timestamp as it is written on the wire. */
function tamper(setup: SignedSetup, part: Part, body: Buffer, headers: Record<string, string>, index: number, replacement: number): { body: Buffer; headers: Record<string, string> } {
  if (part === 'body') {
    const changed = Buffer.from(body);
    const at = index % changed.length;
    changed[at] = (changed[at]! + 1 + (replacement % 255)) % 256;
    return { body: changed, headers };
  }
  const name = headerOf(setup, headers, part);
  const value = headers[name]!;
  if (setup.covers.timestamp === 'stripe') {
    // t=<digits>,v1=<hex>: change one byte inside the digits of t=.
    const digits = value.slice(2, value.indexOf(','));
    return { body, headers: { ...headers, [name]: `t=${changeOneByte(digits, index, replacement)}${value.slice(value.indexOf(','))}` } };
  }
  return { body, headers: { ...headers, [name]: changeOneByte(value, index, replacement) } };
}

function partsCovered(setup: SignedSetup): Part[] {
  return [...(setup.covers.body ? (['body'] as const) : []), ...(setup.covers.id ? (['id'] as const) : []), ...(setup.covers.timestamp ? (['timestamp'] as const) : [])];
}

describe('tampering with one byte', () => {
  it('of the body, the signed id or the timestamp always fails verification', () => {
    fc.assert(
      fc.property(signedSetups, bodies, messageIds, fc.nat(), fc.nat(), fc.nat(), (setup, body, id, which, index, replacement) => {
        const parts = partsCovered(setup).filter((part) => part !== 'body' || body.length > 0);
        fc.pre(parts.length > 0);
        const part = parts[which % parts.length]!;
        count(`tamper:${setup.scheme}:${part}`);
        const headers = signRequest(setup.scheme, setup.secret, body, { ...setup.signOptions, id, timestamp: NOW_SECONDS });
        expect(verifyRequest(setup.auth, { headers, rawBody: body, now: NOW }).ok).toBe(true);
        const changed = tamper(setup, part, body, headers, index, replacement);
        const result = verifyRequest(setup.auth, { headers: changed.headers, rawBody: changed.body, now: NOW });
        expect(result.ok, `${setup.scheme} accepted a changed ${part}: ${JSON.stringify(changed.headers)}`).toBe(false);
      }),
      propertyRuns(1500),
    );
  });

  it('token and Basic schemes authenticate the sender, not the body: documented, and a changed credential fails', () => {
    fc.assert(
      fc.property(signedSetups, bodies, fc.nat(), fc.nat(), (setup, body, index, replacement) => {
        fc.pre(!setup.covers.body);
        count(`credential:${setup.scheme}`);
        const headers = signRequest(setup.scheme, setup.secret, body, setup.signOptions);
        const name = Object.keys(headers)[0]!;
        // "Bearer x" / "Basic x": the scheme word is case-insensitive by HTTP's rules; change the credential.
        const value = headers[name]!;
        const start = name === 'Authorization' ? value.indexOf(' ') + 1 : 0;
        const changed = { ...headers, [name]: value.slice(0, start) + changeOneByte(value.slice(start), index, replacement) };
        const result = verifyRequest(setup.auth, { headers: changed, rawBody: body, now: NOW });
        expect(result.ok, `${setup.scheme} accepted ${JSON.stringify(changed)}`).toBe(false);
      }),
      propertyRuns(300),
    );
  });
});

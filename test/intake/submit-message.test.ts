import { afterEach, describe, expect, it } from 'vitest';
import { submitMessage, isRefusal } from '../../core/intake/submit-message';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { signRequest } from '../../core/signing';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';

let h: IntakeHarness;
afterEach(async () => h?.store.close());

const submit = (payload: unknown, headers?: Record<string, string>, source = h.source) =>
  submitMessage(source, { payload, headers, receivedAt: new Date(h.now) }, { store: h.store, normaliser: passThroughNormaliser });

describe('submitMessage: a message from another node through the intake pipeline', () => {
  it('takes an object, a string and a Buffer from a channel-trusted source into review', async () => {
    h = await intakeHarness({ messageTrust: 'channel' });
    const asObject = await submit(incidentPayload({ externalId: 'A' }));
    const asString = await submit(JSON.stringify(incidentPayload({ externalId: 'B' })));
    const asBuffer = await submit(Buffer.from(JSON.stringify(incidentPayload({ externalId: 'C' }))));
    for (const result of [asObject, asString, asBuffer]) {
      expect(result).toMatchObject({ code: 'accepted', stored: true });
      expect(result.events[0]!.state).toBe('pending_review');
      expect(isRefusal(result)).toBe(false);
    }
    const receipts = await h.store.transaction((r) => r.receipts.count('acme'));
    expect(receipts).toBe(3);
  });

  it('refuses every message of a source that does not say how messages are trusted', async () => {
    h = await intakeHarness();
    const result = await submit(incidentPayload());
    expect(result).toMatchObject({ code: 'unauthorized', stored: false });
    expect(result.reason).toMatch(/messageTrust/);
    expect(isRefusal(result)).toBe(true);
  });

  it('verifies a signature carried in the message headers as for HTTP, and refuses a wrong one', async () => {
    h = await intakeHarness({ messageTrust: 'signature' });
    const raw = Buffer.from(JSON.stringify(incidentPayload()));
    const signed = signRequest('standard-webhooks', h.secret, raw, { id: 'msg_bus_1', timestamp: Math.floor(h.now / 1000) });
    expect(await submit(raw, signed)).toMatchObject({ code: 'accepted', stored: true });
    const forged = await submit(Buffer.from(JSON.stringify(incidentPayload({ title: 'forged' }))), signed);
    expect(forged).toMatchObject({ code: 'unauthorized', stored: false });
    expect(forged.reason).toMatch(/authentication failed/);
    expect(forged.reason).not.toContain(h.secret);
    expect(await submit(incidentPayload())).toMatchObject({ code: 'unauthorized' });
  });

  it('answers the same unsigned message sent twice as a duplicate (body hash) and stores it once', async () => {
    h = await intakeHarness({ messageTrust: 'channel' });
    const first = await submit(incidentPayload());
    const again = await submit(incidentPayload());
    expect(again).toMatchObject({ code: 'duplicate', receiptId: first.receiptId, stored: false });
    expect(isRefusal(again)).toBe(false);
    expect(await h.store.transaction((r) => r.receipts.count('acme'))).toBe(1);
  });

  it('refuses malformed, oversized and unusable payloads with a reason', async () => {
    h = await intakeHarness({ messageTrust: 'channel', limits: { maxBodyBytes: 2048 } });
    const malformed = await submit('{"title": "oops",');
    expect(malformed).toMatchObject({ code: 'malformed' });
    expect(malformed.reason).toMatch(/not valid JSON/);
    expect(isRefusal(malformed)).toBe(true);
    const big = await submit({ ...incidentPayload(), description: 'x'.repeat(4096) });
    expect(big).toMatchObject({ code: 'payload_too_large', stored: false });
    expect(isRefusal(big)).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await submit(cyclic)).toMatchObject({ code: 'malformed', stored: false });
    expect(await submit(undefined)).toMatchObject({ code: 'malformed', stored: false });
    expect(await submit(42)).toMatchObject({ code: 'malformed', stored: false });
  });

  it('disables a source that floods past its hourly budget, then refuses it as disabled', async () => {
    h = await intakeHarness({ messageTrust: 'channel', limits: { sourcePerHour: 2 } });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await submit(incidentPayload({ externalId: `F-${i}` })));
    expect(results.map((result) => result.code)).toEqual(['accepted', 'accepted', 'source_limit_exceeded', 'source_disabled']);
    expect(results.slice(2).every(isRefusal)).toBe(true);
    const record = await h.store.transaction((r) => r.sources.get('acme', 'src-1'));
    expect(record?.enabled).toBe(false);
  });

  it('refuses a test event over a trusted channel (a test event proves the signature)', async () => {
    h = await intakeHarness({ messageTrust: 'channel' });
    const result = await submit(incidentPayload(), { 'X-Incident-Intake-Test': '1' });
    expect(result).toMatchObject({ code: 'unauthorized', stored: false });
  });
});

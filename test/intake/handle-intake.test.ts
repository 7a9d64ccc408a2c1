import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';
import { signRequest } from '../../core/signing';

let h: IntakeHarness;
afterEach(async () => h?.store.close());

const storedCounts = (harness: IntakeHarness) =>
  harness.store.transaction(async (r) => ({ receipts: await r.receipts.count('acme'), events: await r.events.countByState('acme') }));

describe('intake pipeline: review mode (default)', () => {
  beforeEach(async () => {
    h = await intakeHarness();
  });

  it('accepts a signed event into the review queue with 202 and audits it', async () => {
    const result = await h.send(incidentPayload());
    expect(result).toMatchObject({ code: 'accepted', status: 202, stored: true });
    expect(result.events).toEqual([expect.objectContaining({ state: 'pending_review', position: 0 })]);
    const event = await h.store.transaction((r) => r.events.get('acme', result.events[0]!.id));
    expect(event).toMatchObject({ state: 'pending_review', dedupeKey: 'generic::INC-1', mappingVersion: 'pass-through-1', sourceId: 'src-1' });
    const audit = await h.store.transaction((r) => r.audit.forSubject('acme', 'event', result.events[0]!.id));
    expect(audit.map((a) => a.action)).toEqual(['event.pending_review']);
  });

  it('answers a transport retry (same webhook-id) with the first answer and stores nothing new', async () => {
    const first = await h.send(incidentPayload(), { id: 'msg_fixed' });
    const again = await h.send(incidentPayload(), { id: 'msg_fixed' });
    expect(again).toMatchObject({ code: 'duplicate', status: first.status, receiptId: first.receiptId, stored: false });
    expect(await storedCounts(h)).toEqual({ receipts: 1, events: { pending_review: 1 } });
  });

  it('folds a second event for the same pending incident into the waiting one', async () => {
    const first = await h.send(incidentPayload());
    const second = await h.send(incidentPayload({ status: 'resolved' }));
    expect(second.events[0]!.state).toBe('duplicate');
    const pending = await h.store.transaction((r) => r.events.get('acme', first.events[0]!.id));
    expect(pending).toMatchObject({ state: 'pending_review', candidate: expect.objectContaining({ status: 'resolved' }) });
  });

  it('quarantines a candidate missing mandatory fields, naming each field, and answers 202', async () => {
    const result = await h.send({ externalId: 'X-1', severity: 'urgent' });
    expect(result).toMatchObject({ code: 'quarantined', status: 202 });
    const fields = result.events[0]!.reasons.map((r) => r.field).sort();
    expect(fields).toEqual(['detectedAt', 'severity', 'status', 'title']);
    expect(result.events[0]!.reasons.find((r) => r.field === 'title')!.message).toBe('is required');
    const source = await h.store.transaction((r) => r.sources.get('acme', 'src-1'));
    expect(source?.lastError).toMatch(/quarantined/);
  });

  it('keeps a malformed body from an authenticated sender in quarantine and answers 400', async () => {
    const result = await h.send(null, { raw: Buffer.from('{"title": "oops",') });
    expect(result).toMatchObject({ code: 'malformed', status: 400, stored: true });
    expect(result.reason).toMatch(/not valid JSON/);
    expect(result.events[0]).toMatchObject({ state: 'quarantined', reasons: [{ field: 'body', message: expect.stringMatching(/not valid JSON/) }] });
    const body = await h.store.transaction((r) => r.receipts.body('acme', result.receiptId!));
    expect(body?.toString()).toBe('{"title": "oops",');
  });

  it.each([
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /not valid UTF-8/],
    ['an empty body', Buffer.alloc(0), /empty/],
    ['whitespace only', Buffer.from('   \n'), /empty/],
    ['a bare JSON string', Buffer.from('"hello"'), /object or array/],
    ['10k-deep nesting', Buffer.from('['.repeat(10_000) + ']'.repeat(10_000)), /nested deeper than 100/],
  ])('refuses %s with 400 and a reason', async (_name, raw, reason) => {
    const result = await h.send(null, { raw });
    expect(result.status).toBe(400);
    expect(result.reason).toMatch(reason);
  });

  it('tolerates a UTF-8 BOM and drops __proto__ keys without polluting prototypes', async () => {
    const json = '\uFEFF' + JSON.stringify(incidentPayload()).replace('{', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, ');
    const result = await h.send(null, { raw: Buffer.from(json) });
    expect(result.code).toBe('accepted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const event = await h.store.transaction((r) => r.events.get('acme', result.events[0]!.id));
    expect(Object.prototype.hasOwnProperty.call(event!.candidate, '__proto__')).toBe(false);
  });

  it('accepts a 1,000-element batch within the cap, one event per element', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => incidentPayload({ externalId: `B-${i}` }));
    const result = await h.send(batch);
    expect(result.code).toBe('accepted');
    expect(result.events).toHaveLength(1000);
    expect((await storedCounts(h)).events).toEqual({ pending_review: 1000 });
  });

  it('refuses a wrong content type with 415 and stores nothing', async () => {
    const result = await h.send(incidentPayload(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(result).toMatchObject({ code: 'unsupported_media_type', status: 415, stored: false });
    expect(await storedCounts(h)).toEqual({ receipts: 0, events: {} });
  });

  it('refuses an oversized body with 413 before verifying or storing', async () => {
    const big = Buffer.alloc(h.source.limits.maxBodyBytes + 1, 0x20);
    const result = await h.send(null, { raw: big });
    expect(result).toMatchObject({ code: 'payload_too_large', status: 413 });
    expect(await storedCounts(h)).toEqual({ receipts: 0, events: {} });
  });
});

describe('intake pipeline: authentication', () => {
  beforeEach(async () => {
    h = await intakeHarness();
  });

  it('refuses unsigned, wrongly signed and stale requests with 401 and writes nothing', async () => {
    const raw = Buffer.from(JSON.stringify(incidentPayload()));
    const unsigned = await h.request({ headers: { 'content-type': 'application/json' }, rawBody: raw, receivedAt: new Date(h.now) });
    expect(unsigned).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(unsigned.reason).toMatch(/missing_signature/);
    const wrong = signRequest('standard-webhooks', 'whsec_' + Buffer.alloc(32, 7).toString('base64'), raw, { id: 'm1', timestamp: h.now / 1000 });
    expect((await h.request({ headers: wrong, rawBody: raw, receivedAt: new Date(h.now) })).reason).toMatch(/invalid_signature/);
    const signedEarly = signRequest('standard-webhooks', h.secret, raw, { id: 'm2', timestamp: (h.now - 301_000) / 1000 });
    const late = await h.request({ headers: signedEarly, rawBody: raw, receivedAt: new Date(h.now) });
    expect(late.reason).toMatch(/timestamp_out_of_tolerance/);
    const signedLate = signRequest('standard-webhooks', h.secret, raw, { id: 'm3', timestamp: (h.now + 301_000) / 1000 });
    const future = await h.request({ headers: signedLate, rawBody: raw, receivedAt: new Date(h.now) });
    expect(future.reason).toMatch(/timestamp_out_of_tolerance/);
    expect(await storedCounts(h)).toEqual({ receipts: 0, events: {} });
    for (const result of [unsigned, late, future]) expect(result.reason).not.toContain(h.secret);
  });

  it('answers 404 for an unknown source', async () => {
    const { handleIntake } = await import('../../core/intake/handle-intake');
    const { passThroughNormaliser } = await import('../../core/mapping/pass-through-normaliser');
    const result = await handleIntake(undefined, { headers: {}, rawBody: Buffer.from('{}') }, { store: h.store, normaliser: passThroughNormaliser });
    expect(result).toMatchObject({ code: 'unknown_source', status: 404, stored: false });
    expect(await storedCounts(h)).toEqual({ receipts: 0, events: {} });
  });
});

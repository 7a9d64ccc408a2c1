import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handleIntake, type IntakeRequest } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { getIncident } from '../../core/incidents/incident-queries';
import { createNormaliser, type ClosableNormaliser } from '../../core/mapping/create-normaliser';
import { cleanupRetention } from '../../core/retention/cleanup';
import { signRequest } from '../../core/signing';
import type { Store } from '../../core/store';
import { storeEngines } from './store-engines';

// Issue 17, "the replay hole": a PagerDuty signature has no timestamp, so a captured request verifies
// forever. Retention must not make the intake forget that it has seen one.
const DAY = 86_400_000;
const DAY_1 = Date.parse('2026-01-05T09:00:00.000Z');
const SECRET = 'pagerduty-webhook-signing-secret';
const source = parseSourceConfig({ id: 'pd', tenant: 'acme', provider: 'pagerduty', mode: 'auto-create', auth: { scheme: 'pagerduty', secrets: [{ value: SECRET }] } });

function fixture(name: string): Buffer {
  return readFileSync(join(__dirname, '..', 'fixtures', 'providers', `${name}.json`));
}

/** Hours after 09:00 on day `day` (DAY_1 is day 1). */
function onDay(day: number, hours = 0): number {
  return DAY_1 + (day - 1) * DAY + hours * 3_600_000;
}

function secondDelivery(rawBody: Buffer): Buffer {
  const payload = JSON.parse(rawBody.toString('utf8')) as { event: { id: string } };
  payload.event.id = '01EXAMPLESECONDDELIVERY0001';
  return Buffer.from(JSON.stringify(payload));
}

function pagerDutyRequest(rawBody: Buffer, webhookId: string, at: number): IntakeRequest {
  const headers = { 'content-type': 'application/json', 'x-webhook-id': webhookId, ...signRequest('pagerduty', SECRET, rawBody) };
  return { headers, rawBody, receivedAt: new Date(at) };
}

describe.each(storeEngines())('a captured PagerDuty request after retention cleanup ($name)', ({ open, skip }) => {
  let store: Store;
  let normaliser: ClosableNormaliser;
  afterEach(async () => {
    await normaliser?.close();
    await store?.close();
  });

  it.skipIf(skip)('is refused as a replay on day 31 and on day 400 and does not reopen the resolved incident', async () => {
    store = await open();
    normaliser = createNormaliser({ provider: 'pagerduty' });
    const send = (request: IntakeRequest) => handleIntake(source, request, { store, normaliser });

    const triggered = await send(pagerDutyRequest(fixture('pagerduty.incident.triggered'), '01EXAMPLEWEBHOOKID0000001', DAY_1));
    expect(triggered).toMatchObject({ status: 202, code: 'accepted' });
    const incidentId = triggered.incidents[0]!.incidentId;
    // The same incident.triggered delivered a second time as its own event (another subscription covering the
    // service): it changes nothing, so its event is a `duplicate` outside the incident, and retention may remove
    // it and its request body. This is the request the attacker captured.
    const captured = pagerDutyRequest(secondDelivery(fixture('pagerduty.incident.triggered')), '01EXAMPLEWEBHOOKID0000009', DAY_1 + 60_000);
    const repeat = await send(captured);
    expect(repeat.events).toMatchObject([{ state: 'duplicate' }]);
    const resolved = await send(pagerDutyRequest(fixture('pagerduty.incident.resolved'), '01EXAMPLEWEBHOOKID0000002', DAY_1 + 3_600_000));
    expect(resolved.incidents).toEqual([{ incidentId, version: 2, change: 'updated' }]);

    const removed = await cleanupRetention(store, { tenant: 'acme', olderThanDays: 30 }, { now: () => onDay(31, 12) });
    expect(removed).toMatchObject({ events: 1, receipts: 1 });
    const auditBefore = (await getIncident(store, 'acme', incidentId)).audit.length;

    for (const day of [31, 400]) {
      const replay = await send({ ...captured, receivedAt: new Date(onDay(day, 13)) });
      expect(replay, `day ${day}`).toMatchObject({ status: 202, code: 'duplicate', stored: false });
      expect(replay.incidents, `day ${day}`).toEqual([]);
      expect(replay.reason, `day ${day}`).toBe('already received at 2026-01-05T09:01:00.000Z (same signed content); refused as a replay, nothing new was stored');
    }
    const detail = await getIncident(store, 'acme', incidentId);
    expect(detail.incident).toMatchObject({ status: 'resolved', version: 2 });
    expect(detail.audit).toHaveLength(auditBefore);
    expect(await store.transaction((r) => r.events.countByState('acme'))).toEqual({ promoted: 2 });

    // Marked where an operator looks: the source's health and the audit trail.
    const refusals = await store.transaction((r) => r.audit.forSubject('acme', 'source', 'pd'));
    expect(refusals.map((entry) => [entry.action, entry.at])).toEqual([
      ['request.replay_refused', onDay(31, 13)],
      ['request.replay_refused', onDay(400, 13)],
    ]);
    expect(refusals[0]!.details).toEqual({ firstSeenAt: new Date(DAY_1 + 60_000).toISOString(), matchedBy: 'same signed content', answeredStatus: 202 });
    const health = await store.transaction((r) => r.sources.get('acme', 'pd'));
    expect(health?.lastError).toMatch(/^replay refused: a request first received at 2026-01-05T09:01:00.000Z was sent again/);
    expect(await store.transaction((r) => r.audit.verifyChain('acme'))).toBeUndefined();
  });
});

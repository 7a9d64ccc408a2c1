import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { promoteEvent } from '../../core/review/promote-event';
import { rejectEvent } from '../../core/review/reject-event';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openPostgresStore, type Store } from '../../core/store';
import { incidentPayload } from '../support/intake-fixture';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

/**
 * Decisions about one incident identity taken at the same moment by different processes (one store each):
 * an intake folding a newer version into a pending event while a reviewer promotes or rejects it, and two
 * intakes seeing a new identity at once. Each identity gets its own race; several run side by side so that
 * the interleavings actually happen.
 */
const support = postgresSupport();
const IDENTITIES = 40;

describe.skipIf(!support.binaries)('concurrent decisions about one incident identity on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let stores: Store[];
  const secret = generateStandardWebhookSecret();
  const source = parseSourceConfig({ id: 'races', tenant: 'acme', provider: 'generic', auth: { secrets: [{ value: secret }] } });
  let sent = 0;

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    const url = await cluster.createDatabase();
    stores = [];
    for (let n = 0; n < 3; n++) stores.push(await openPostgresStore({ connectionString: url, poolSize: 12 }));
  });
  afterAll(async () => {
    await Promise.allSettled((stores ?? []).map((store) => store.close()));
    await cluster?.destroy();
  });

  function send(store: Store, payload: Record<string, unknown>) {
    const raw = Buffer.from(JSON.stringify(payload));
    const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id: `msg_${++sent}` }) };
    return handleIntake(source, { headers, rawBody: raw }, { store, normaliser: passThroughNormaliser });
  }

  const review = { actor: 'reviewer', reason: 'confirmed' };

  it('a newer version arriving while the pending event is promoted ends up on the incident', async () => {
    const identities = Array.from({ length: IDENTITIES }, (_, n) => `FOLD-${n}`);
    const pending = await Promise.all(identities.map((id) => send(stores[0]!, incidentPayload({ externalId: id, status: 'open' }))));
    await Promise.all(
      identities.map((id, n) =>
        Promise.all([
          send(stores[1]!, incidentPayload({ externalId: id, status: 'resolved' })),
          promoteEvent(stores[2]!, 'acme', pending[n]!.events[0]!.id, review),
        ]),
      ),
    );
    const incidents = await stores[0]!.transaction((r) => r.incidents.list('acme', { view: 'recent', limit: 1000 }));
    const folded = incidents.filter((incident) => incident.canonical.externalId.startsWith('FOLD-'));
    expect(folded).toHaveLength(IDENTITIES);
    expect(folded.filter((incident) => incident.status !== 'resolved').map((incident) => incident.dedupeKey)).toEqual([]);
  });

  it('a newer version arriving while the pending event is rejected is kept for review', async () => {
    const identities = Array.from({ length: IDENTITIES }, (_, n) => `REJ-${n}`);
    const pending = await Promise.all(identities.map((id) => send(stores[0]!, incidentPayload({ externalId: id, status: 'open' }))));
    const newer = await Promise.all(
      identities.map(async (id, n) => {
        const [answer] = await Promise.all([
          send(stores[1]!, incidentPayload({ externalId: id, status: 'resolved' })),
          rejectEvent(stores[2]!, 'acme', pending[n]!.events[0]!.id, review),
        ]);
        return answer;
      }),
    );
    // Either the newer version was folded in before the rejection (and rejected with it), or it waits in review.
    const waiting = await stores[0]!.transaction((r) => r.events.list('acme', { state: 'pending_review', limit: 1000 }));
    for (const [n, answer] of newer.entries()) {
      const event = answer.events[0]!;
      if (event.state === 'pending_review') continue;
      expect(event.state).toBe('duplicate');
      const into = await stores[0]!.transaction((r) => r.events.get('acme', pending[n]!.events[0]!.id));
      expect(into).toMatchObject({ state: 'rejected', candidate: expect.objectContaining({ status: 'resolved' }) });
    }
    expect(waiting.filter((event) => event.dedupeKey?.includes('REJ-')).length).toBe(newer.filter((answer) => answer.events[0]!.state === 'pending_review').length);
  });

  it('two versions of a new identity arriving at once leave one event in review', async () => {
    const identities = Array.from({ length: IDENTITIES }, (_, n) => `NEW-${n}`);
    await Promise.all(
      identities.map((id) =>
        Promise.all([
          send(stores[0]!, incidentPayload({ externalId: id, severity: 'high' })),
          send(stores[1]!, incidentPayload({ externalId: id, severity: 'critical' })),
        ]),
      ),
    );
    const waiting = await stores[0]!.transaction((r) => r.events.list('acme', { state: 'pending_review', limit: 1000 }));
    const perKey = new Map<string, number>();
    for (const event of waiting.filter((item) => item.dedupeKey?.includes('NEW-'))) perKey.set(event.dedupeKey!, (perKey.get(event.dedupeKey!) ?? 0) + 1);
    expect(perKey.size).toBe(IDENTITIES);
    expect([...perKey].filter(([, count]) => count > 1)).toEqual([]);
  });
});

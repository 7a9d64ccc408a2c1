import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../core/errors';
import { addEvidence, classifyIncident, recordSubmission } from '../../core/incidents/incident-updates';
import { getIncident } from '../../core/incidents/incident-queries';
import { doraDeadlines, nextDeadline } from '../../core/regulatory/deadlines';
import { recordReport } from '../../core/regulatory/record-report';
import { openPostgresStore, openSqliteStore, type Store } from '../../core/store';
import { intakeHarness, incidentPayload } from '../support/intake-fixture';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { handleIntake } from '../../core/intake/handle-intake';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { signRequest } from '../../core/signing';

const t = (iso: string) => Date.parse(iso);
const AWARE = '2026-03-02T08:00:00.000Z';
const at = (iso: string) => ({ now: () => t(iso) });

/** A store with one auto-created incident that became known at AWARE; returns its id. */
async function incidentOn(store: Store, externalId = 'INC-1'): Promise<string> {
  const h = await intakeHarness({ mode: 'auto-create' });
  await h.store.close();
  const raw = Buffer.from(JSON.stringify(incidentPayload({ externalId, detectedAt: AWARE })));
  const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', h.secret, raw, { id: `msg_${Math.random()}`, timestamp: Math.floor(t(AWARE) / 1000) }) };
  const outcome = await handleIntake(h.source, { headers, rawBody: raw, receivedAt: new Date(AWARE) }, { store, normaliser: passThroughNormaliser });
  const incidentId = outcome.events[0]?.incidentId;
  if (!incidentId) throw new Error(`no incident: ${JSON.stringify(outcome)}`);
  return incidentId;
}

function reportSuite(engine: string, open: () => Promise<Store>) {
  describe(`regulatory reports (${engine})`, () => {
    it('carries a DORA major incident from initial notification to final report, each deadline moving as reports are recorded', async () => {
      const store = await open();
      const id = await incidentOn(store);
      await classifyIncident(store, 'acme', id, { doraMajor: true, classifiedAt: t('2026-03-02T10:00:00Z') }, 'ciso', at('2026-03-02T10:00:00Z'));
      const evidence = await addEvidence(store, 'acme', id, { kind: 'link', value: 'https://status.example.com/1' }, 'ciso', at('2026-03-02T11:00:00Z'));
      const initial = await recordReport(store, 'acme', id, { kind: 'dora.initial', submittedAt: t('2026-03-02T13:00:00Z'), reference: 'NCA-2026-0042', evidenceIds: [evidence.id] }, 'ciso', at('2026-03-02T13:05:00Z'));
      expect(initial.report).toMatchObject({ kind: 'dora.initial', submittedBy: 'ciso', reference: 'NCA-2026-0042', evidenceIds: [evidence.id] });
      let detail = await getIncident(store, 'acme', id);
      expect(detail.deadlines.dora[1]).toMatchObject({ report: 'dora.intermediate', due: '2026-03-05T13:00:00.000Z', provisional: false });
      expect(nextDeadline(detail.deadlines)?.report).toBe('dora.intermediate');

      await recordReport(store, 'acme', id, { kind: 'dora.intermediate', submittedAt: t('2026-03-04T09:30:00Z') }, 'ciso', at('2026-03-04T09:30:00Z'));
      await recordReport(store, 'acme', id, { kind: 'dora.intermediate', submittedAt: t('2026-03-10T12:00:00Z') }, 'ciso', at('2026-03-10T12:00:00Z'));
      detail = await getIncident(store, 'acme', id);
      expect(detail.deadlines.dora[2]).toMatchObject({ report: 'dora.final', due: '2026-04-10T12:00:00.000Z', provisional: false });

      await recordReport(store, 'acme', id, { kind: 'dora.final', submittedAt: t('2026-04-01T09:00:00Z') }, 'ciso', at('2026-04-01T09:00:00Z'));
      detail = await getIncident(store, 'acme', id);
      expect(detail.reports.map((report) => report.kind)).toEqual(['dora.initial', 'dora.intermediate', 'dora.intermediate', 'dora.final']);
      expect(detail.deadlines.dora.every((deadline) => deadline.submittedAt !== undefined)).toBe(true);
      expect(nextDeadline(detail.deadlines)).toBeUndefined();
      const audited = detail.audit.filter((entry) => entry.action === 'incident.report_submitted').map((entry) => entry.details.report);
      expect(audited).toEqual(['dora.initial', 'dora.intermediate', 'dora.intermediate', 'dora.final']);
      await store.close();
    });

    it('refuses reports the rules or the record contradict, and changes nothing', async () => {
      const store = await open();
      const id = await incidentOn(store);
      const clock = at('2026-03-03T10:00:00Z');
      const refused = async (input: Parameters<typeof recordReport>[3], pattern: RegExp) => {
        const attempt = recordReport(store, 'acme', id, input, 'ciso', clock);
        await expect(attempt).rejects.toBeInstanceOf(InvalidRequestError);
        await expect(attempt).rejects.toThrow(pattern);
      };
      await refused({ kind: 'dora.initial', submittedAt: t('2026-03-02T12:00:00Z') }, /needs the incident classified as a DORA major incident/);
      await refused({ kind: 'nis2.early_warning', submittedAt: t('2026-03-02T12:00:00Z') }, /NIS2 significant/);
      await refused({ kind: 'dora.preliminary' }, /unknown report kind "dora.preliminary": one of dora.initial/);
      await classifyIncident(store, 'acme', id, { doraMajor: true, nis2Significant: true }, 'ciso', clock);
      await refused({ kind: 'dora.initial', submittedAt: t('2026-03-01T12:00:00Z') }, /cannot be dated before the incident became known \(2026-03-02T08:00:00.000Z\)/);
      await refused({ kind: 'dora.initial', submittedAt: t('2026-03-04T12:00:00Z') }, /cannot be dated in the future/);
      await refused({ kind: 'dora.intermediate', submittedAt: t('2026-03-02T12:00:00Z') }, /needs the dora.initial report recorded first/);
      await refused({ kind: 'nis2.final', submittedAt: t('2026-03-02T12:00:00Z') }, /needs the nis2.notification report recorded first/);
      await refused({ kind: 'dora.initial', submittedAt: t('2026-03-02T12:00:00Z'), evidenceIds: ['evd_other'] }, /evidence evd_other is not on incident/);
      await expect(recordReport(store, 'acme', id, { kind: 'dora.initial' }, ' ', clock)).rejects.toThrow(/an actor is required/);
      expect((await getIncident(store, 'acme', id)).reports).toEqual([]);

      await recordReport(store, 'acme', id, { kind: 'dora.initial', submittedAt: t('2026-03-02T12:00:00Z') }, 'ciso', clock);
      await refused({ kind: 'dora.initial', submittedAt: t('2026-03-02T13:00:00Z') }, /already recorded/);
      await refused({ kind: 'dora.intermediate', submittedAt: t('2026-03-02T11:00:00Z') }, /cannot be dated before the dora.initial report it follows/);
      await recordReport(store, 'acme', id, { kind: 'dora.reclassified', submittedAt: t('2026-03-03T09:00:00Z'), note: 'no critical service affected after all' }, 'ciso', clock);
      await refused({ kind: 'dora.intermediate', submittedAt: t('2026-03-03T09:30:00Z') }, /DORA reporting ended with the dora.reclassified report/);
      const detail = await getIncident(store, 'acme', id);
      expect(detail.deadlines.dora).toEqual([]);
      expect(detail.deadlines.nis2.map((deadline) => deadline.report)).toEqual(['nis2.early_warning', 'nis2.notification', 'nis2.final']);
      await store.close();
    });

    it('keeps the NIS2 final report one month after the notification, whatever intermediate reports were asked for', async () => {
      const store = await open();
      const id = await incidentOn(store);
      const clock = at('2026-03-20T10:00:00Z');
      await classifyIncident(store, 'acme', id, { nis2Significant: true }, 'ciso', clock);
      await recordReport(store, 'acme', id, { kind: 'nis2.early_warning', submittedAt: t('2026-03-02T20:00:00Z') }, 'ciso', clock);
      await recordReport(store, 'acme', id, { kind: 'nis2.notification', submittedAt: t('2026-03-04T10:00:00Z') }, 'ciso', clock);
      await recordReport(store, 'acme', id, { kind: 'nis2.intermediate', submittedAt: t('2026-03-15T10:00:00Z') }, 'ciso', clock);
      const { deadlines } = await getIncident(store, 'acme', id);
      expect(deadlines.nis2[2]).toMatchObject({ report: 'nis2.final', due: '2026-04-04T10:00:00.000Z', provisional: false });
      const trust = await getIncident(store, 'acme', id, { trustServiceProvider: true });
      expect(trust.deadlines.nis2[1]).toMatchObject({ report: 'nis2.notification', due: '2026-03-03T08:00:00.000Z' });
      // the older milestone names still record a report
      const other = await incidentOn(store, 'INC-2');
      await classifyIncident(store, 'acme', other, { doraMajor: true }, 'ciso', clock);
      const incident = await recordSubmission(store, 'acme', other, 'doraInitialSubmittedAt', t('2026-03-02T12:00:00Z'), 'ciso', clock);
      expect(incident.milestones.doraInitialSubmittedAt).toBe(t('2026-03-02T12:00:00Z'));
      await store.close();
    });
  });
}

reportSuite('SQLite', () => openSqliteStore(':memory:'));

const support = postgresSupport();
describe.skipIf(!support.binaries)('on PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
  });
  afterAll(async () => cluster?.destroy());
  reportSuite('PostgreSQL', async () => openPostgresStore(await cluster.createSchema()));
});

describe("DORA's weekend relief by kind of entity", () => {
  // aware Friday 20:00, classified Saturday 09:00: initial due Saturday 13:00
  const saturday = { becameAwareAt: t('2026-03-06T20:00:00Z'), doraMajor: true, doraClassifiedAt: t('2026-03-07T09:00:00Z'), nis2Significant: false };
  it('moves every report of an entity that may use it', () => {
    const [initial, , final] = doraDeadlines({ ...saturday, doraIntermediateSubmittedAt: t('2026-03-07T10:00:00Z') }, { doraWeekendRelief: true, doraEntity: 'other' });
    expect(initial!.due).toBe('2026-03-09T12:00:00.000Z');
    expect(final!.due).toBe('2026-04-07T10:00:00.000Z'); // a Tuesday: unchanged
    const onSunday = doraDeadlines({ ...saturday, doraIntermediateSubmittedAt: t('2026-02-08T10:00:00Z') }, { doraWeekendRelief: true })[2]!;
    expect(onSunday.due).toBe('2026-03-09T12:00:00.000Z'); // 8 March 2026 is a Sunday
  });
  for (const entity of ['credit-institution', 'central-counterparty', 'trading-venue', 'nis2-entity'] as const) {
    it(`keeps the initial and intermediate deadlines of a ${entity}, and moves only its final report`, () => {
      const [initial, intermediate, final] = doraDeadlines({ ...saturday, doraInitialSubmittedAt: t('2026-03-07T12:00:00Z'), doraIntermediateSubmittedAt: t('2026-02-08T10:00:00Z') }, { doraWeekendRelief: true, doraEntity: entity });
      expect(initial!.due).toBe('2026-03-07T13:00:00.000Z');
      expect(intermediate!.due).toBe('2026-03-10T12:00:00.000Z');
      expect(final!.due).toBe('2026-03-09T12:00:00.000Z');
    });
  }
});

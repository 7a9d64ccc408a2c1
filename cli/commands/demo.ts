import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { parseSourceConfig, type SourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { getIncident } from '../../core/incidents/incident-queries';
import { promoteEvent } from '../../core/review/promote-event';
import { listReviewQueue } from '../../core/review/review-queue';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openSqliteStore } from '../../core/store';
import { parseSeconds, stringOption } from '../args';
import { EXIT_OK, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { startIntakeServer } from '../demo/intake-server';

const USAGE = `Usage: incident-intake demo [--data DIR] [--port N] [--serve]

Runs the intake end to end on the embedded SQLite store: starts an intake endpoint on 127.0.0.1, sends it
signed events (new, retried, badly signed, incomplete, oversized, resolved), promotes one from the review
queue and prints the incident with its provenance and audit trail.

  --data DIR   folder for the demo database (default .data; the demo database is recreated each run)
  --port N     port for the intake endpoint (default: any free port)
  --serve      keep the endpoint running afterwards and print an incident-intake send command (Ctrl-C stops)`;

const TENANT = 'demo';

export const command = defineCommand({
  name: 'demo',
  summary: 'run a signed event through intake, review and promotion on a local SQLite store',
  usage: USAGE,
  options: { data: { type: 'string' }, port: { type: 'string' }, serve: { type: 'boolean' } },
  async run(values, io) {
    const dataDir = resolve(stringOption(values, 'data') ?? '.data');
    const port = values.port === undefined ? 0 : parseSeconds(String(values.port), '--port');
    const databasePath = join(dataDir, 'demo.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
    const store = await openSqliteStore(databasePath);
    const secret = generateStandardWebhookSecret();
    const source = parseSourceConfig({ tenant: TENANT, id: 'demo-source', name: 'Demo source', provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] }, limits: { maxBodyBytes: 64 * 1024 } });
    const server = await startIntakeServer({ store, sources: [{ source, normaliser: passThroughNormaliser }], port });
    const say = (line = '') => io.stdout.write(`${line}\n`);
    try {
      say(`Intake endpoint: ${server.url}/intake/${source.id}  (store: ${databasePath})`);
      await runScenario(`${server.url}/intake/${source.id}`, secret, source, store, say);
      if (values.serve === true) await serveUntilInterrupted(`${server.url}/intake/${source.id}`, io, secret);
    } finally {
      await server.close();
      await store.close();
    }
    return EXIT_OK;
  },
});

type Say = (line?: string) => void;
type DemoStore = Awaited<ReturnType<typeof openSqliteStore>>;

async function post(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

async function runScenario(url: string, secret: string, source: SourceConfig, store: DemoStore, say: Say): Promise<void> {
  const event = { externalId: 'DB-42', title: 'Primary database unreachable', detectedAt: new Date().toISOString(), severity: 'critical', status: 'open', affectedSystems: ['db-primary'], regulatoryRefs: ['DORA'] };
  const sendSigned = async (label: string, payload: unknown, id: string, secretToUse = secret) => {
    const raw = Buffer.from(JSON.stringify(payload));
    const { status, json } = await post(url, raw, signRequest('standard-webhooks', secretToUse, raw, { id }));
    say(`  ${label.padEnd(38)} → ${status} ${json.outcome}: ${json.reason}`);
    return json;
  };
  say('\n1. A sender posts signed events');
  const first = await sendSigned('new incident (Standard Webhooks)', event, 'msg_demo_1');
  await sendSigned('the same delivery retried', event, 'msg_demo_1');
  await sendSigned('signed with the wrong secret', event, 'msg_demo_2', generateStandardWebhookSecret());
  await sendSigned('missing title and status', { externalId: 'X-1', severity: 'low', detectedAt: event.detectedAt }, 'msg_demo_3');
  const big = Buffer.alloc(source.limits.maxBodyBytes + 1, 0x20);
  const oversized = await post(url, big, signRequest('standard-webhooks', secret, big, { id: 'msg_demo_4' }));
  say(`  ${'oversized body'.padEnd(38)} → ${oversized.status} ${oversized.json.outcome}`);

  say('\n2. A reviewer works the queue');
  const queue = await listReviewQueue(store, TENANT);
  for (const item of queue) say(`  pending: ${item.id}  "${(item.candidate as { title?: string }).title}"`);
  const eventId = (first.events as Array<{ id: string }>)[0]!.id;
  const promoted = await promoteEvent(store, TENANT, eventId, { actor: 'demo-reviewer', reason: 'confirmed with the DBA on call' });
  say(`  promoted ${eventId} → incident ${promoted.incident.id}`);

  say('\n3. The source reports the incident resolved');
  await sendSigned('resolved update', { ...event, status: 'resolved' }, 'msg_demo_5');

  const detail = await getIncident(store, TENANT, promoted.incident.id);
  say(`\n4. Incident ${detail.incident.id}: "${detail.incident.title}" — ${detail.incident.status}, ${detail.incident.severity}, version ${detail.incident.version}`);
  for (const item of detail.provenance) say(`  provenance: ${item.role} by event ${item.eventId} (body sha256 ${item.bodySha256.slice(0, 12)}…, mapping ${item.mappingVersion})`);
  for (const entry of detail.audit) say(`  audit: ${new Date(entry.at).toISOString()} ${entry.actor} ${entry.action}`);
  say('\nDemo complete. Run the tests with: npm test');
}

async function serveUntilInterrupted(url: string, io: CliIO, secret: string): Promise<void> {
  io.stdout.write(
    `\nServing ${url} until Ctrl-C. Send your own signed event:\n` +
      `  export DEMO_SECRET='${secret}'\n` +
      `  echo '{"externalId":"E-1","title":"Test","detectedAt":"2026-01-01T00:00:00Z","severity":"high","status":"open"}' | \\\n` +
      `    npx incident-intake send --url ${url} --scheme standard-webhooks --secret-env DEMO_SECRET\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { IncidentIoStandIn } from '../delivery/support/incident-io-stand-in';
import { REPO, freePort, startNodeRed, waitFor, type NodeRedProcess } from '../support/node-red-runtime';

// Node-RED's own `mqtt in` node uses this client library; the test publishes and listens with it too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mqtt = require('mqtt') as typeof import('mqtt');

const MOSQUITTO = '/usr/sbin/mosquitto';
const secret = generateStandardWebhookSecret();

/**
 * A real broker (Debian's mosquitto on a loopback port) feeding a real Node-RED: the shipped example flow
 * (examples/node-red/mqtt-submit-review.json) and more `mqtt in → incident submit` pairs, one of them
 * auto-creating incidents delivered by `incidentio-out` to a stand-in for incident.io on 127.0.0.1 that checks
 * each request against the API contract; every output of each is published back to the broker as one JSON
 * line the test reads.
 */
let broker: ChildProcess | undefined;
let brokerDir: string;
let red: NodeRedProcess;
let client: import('mqtt').MqttClient;
let incidentIo: IncidentIoStandIn;
const results: Array<{ output: string; outcome?: string; reason?: string; title?: string; source: string; change?: string }> = [];

const report = (output: string) =>
  `msg.payload = JSON.stringify({ output: ${JSON.stringify(output)}, outcome: msg.outcome, reason: msg.reason, source: msg.sourceId || msg.topic, change: msg.change, title: msg.payload && msg.payload.candidate ? msg.payload.candidate.title : msg.payload && msg.payload.title }); msg.topic = 'results'; return msg;`;

function flows(port: number, incidentIoUrl: string) {
  const submitNode = (id: string, source: string, topic: string, datatype = 'auto-detect', alsoOnIncident: string[] = []) => [
    { id: `${id}-in`, z: 'tab', type: 'mqtt in', topic, qos: '1', datatype, broker: 'broker', nl: false, rap: true, rh: 0, inputs: 0, wires: [[id]] },
    { id, z: 'tab', type: 'incident-submit', source, store: 'store', wires: [[`${id}-review`], [`${id}-incident`, ...alsoOnIncident], [`${id}-quarantined`], [`${id}-refused`]] },
    ...['review', 'incident', 'quarantined', 'refused'].map((output) => ({ id: `${id}-${output}`, z: 'tab', type: 'function', func: report(output), outputs: 1, wires: [['out']] })),
  ];
  // the example as a user imports it, pointed at the test's broker, its outputs also reported to the test
  const example = (JSON.parse(readFileSync(join(REPO, 'examples/node-red/mqtt-submit-review.json'), 'utf8')) as Array<Record<string, any>>).map((node) => {
    if (node.type === 'mqtt-broker') return { ...node, port: String(port) };
    if (node.type === 'incident-submit') return { ...node, wires: node.wires.map((wire: string[], index: number) => [...wire, `submit-main-${['review', 'incident', 'quarantined', 'refused'][index]}`]) };
    return node;
  });
  return [
    ...example,
    ...['review', 'incident', 'quarantined', 'refused'].map((output) => ({ id: `submit-main-${output}`, z: 'tab', type: 'function', func: report(output), outputs: 1, wires: [['out']] })),
    { id: 'tab', type: 'tab', label: 'Bus intake' },
    { id: 'broker', type: 'mqtt-broker', broker: '127.0.0.1', port: String(port), clientid: '', autoConnect: true, usetls: false, protocolVersion: '5', keepalive: '60', cleansession: true },
    { id: 'store', type: 'intake-store', sqlitePath: 'bus.sqlite' },
    { id: 'src-burst', type: 'intake-source', tenant: 'acme', sourceId: 'bus-burst', provider: 'generic', mode: 'review', scheme: 'none', messageTrust: 'channel', sourcePerHour: '3' },
    ...submitNode('submit-burst', 'src-burst', 'alerts/burst'),
    // signed messages are taken as bytes: the signature is over the exact body
    { id: 'src-signed', type: 'intake-source', tenant: 'acme', sourceId: 'bus-signed', provider: 'generic', mode: 'review', scheme: 'standard-webhooks', messageTrust: 'signature', credentials: { secret } },
    ...submitNode('submit-signed', 'src-signed', 'alerts/signed', 'buffer'),
    // mqtt in → incident submit (auto-create) → incidentio-out: the Done-when flow of issue 19
    { id: 'src-create', type: 'intake-source', tenant: 'acme', sourceId: 'bus-create', provider: 'generic', mode: 'auto-create', scheme: 'none', messageTrust: 'channel' },
    ...submitNode('submit-create', 'src-create', 'alerts/create', 'auto-detect', ['incidentio']),
    { id: 'account', type: 'incidentio-account', name: 'incident.io', baseUrl: incidentIoUrl, alertSourceConfigId: 'alert-source-1', credentials: { alertSourceToken: 'alert-token-1' } },
    { id: 'incidentio', z: 'tab', type: 'incidentio-out', account: 'account', store: 'store', tenant: 'acme', target: 'alert_event', maxAttempts: '6', timeoutSeconds: '10', retrySchedule: '', wires: [['incidentio-report']] },
    { id: 'incidentio-report', z: 'tab', type: 'function', func: `msg.payload = JSON.stringify({ output: 'incidentio', outcome: msg.topic, source: 'incidentio' }); msg.topic = 'results'; return msg;`, outputs: 1, wires: [['out']] },
    { id: 'out', z: 'tab', type: 'mqtt out', topic: 'results', qos: '1', retain: 'false', broker: 'broker', wires: [] },
  ];
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

const event = (id: string, title = `Backup job ${id} failed`) => JSON.stringify({ id, title, severity: 'critical', created_at: '2026-11-23T09:00:00Z' });
const publish = (topic: string, body: string, userProperties?: Record<string, string>) =>
  client.publishAsync(topic, body, { qos: 1, ...(userProperties && { properties: { userProperties } }) });
const from = (source: string) => results.filter((result) => result.source === source);

beforeAll(async () => {
  if (!existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} is missing: install Debian's mosquitto package`);
  const port = await freePort();
  brokerDir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  writeFileSync(join(brokerDir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  broker = spawn(MOSQUITTO, ['-c', join(brokerDir, 'mosquitto.conf')], { stdio: 'ignore' });
  await waitFor(() => canConnect(port), 20_000, () => 'mosquitto did not start listening');
  client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5 });
  await client.subscribeAsync('results', { qos: 1 });
  client.on('message', (_topic, body) => results.push(JSON.parse(body.toString())));
  incidentIo = await IncidentIoStandIn.start({ apiKey: 'unused', alertSources: { 'alert-source-1': 'alert-token-1' } });
  // the stand-in listens on loopback, which delivery nodes refuse unless allowed
  red = await startNodeRed({ env: { INCIDENT_INTAKE_OUTBOUND_ALLOW: '127.0.0.1' } });
  await red.deploy(flows(port, incidentIo.url));
  await waitFor(async () => /Connected to broker/.test(red.log()), 30_000, () => red.log());
}, 90_000);

afterAll(async () => {
  await client?.endAsync();
  await red?.stop();
  await incidentIo?.close();
  broker?.kill('SIGTERM');
  if (brokerDir) rmSync(brokerDir, { recursive: true, force: true });
});

describe('Node-RED: mqtt in → incident submit against a real mosquitto', () => {
  it('takes a normal message into the review queue', async () => {
    await publish('backups/alerts/main', event('B-1'));
    await waitFor(async () => from('backup-alerts').length >= 1, 30_000, () => JSON.stringify(results));
    expect(from('backup-alerts')).toEqual([expect.objectContaining({ output: 'review', outcome: 'accepted', title: 'Backup job B-1 failed' })]);
  });

  it('sends a malformed message to the refused output with its reason', async () => {
    await publish('backups/alerts/main', '{"title": "oops",');
    await waitFor(async () => from('backups/alerts/main').length >= 1, 30_000, () => JSON.stringify(results));
    expect(from('backups/alerts/main')).toEqual([expect.objectContaining({ output: 'refused', outcome: 'malformed', reason: expect.stringMatching(/not valid JSON/) })]);
  });

  it('disables a source whose burst trips its hourly limit and refuses the rest', async () => {
    for (let i = 1; i <= 6; i++) await publish('alerts/burst', event(`F-${i}`));
    await waitFor(async () => results.filter((result) => result.source === 'bus-burst' || result.source === 'alerts/burst').length >= 6, 30_000, () => JSON.stringify(results));
    const reviewed = from('bus-burst');
    const refused = from('alerts/burst');
    expect(reviewed).toHaveLength(3);
    expect(reviewed.every((result) => result.output === 'review')).toBe(true);
    expect(refused).toHaveLength(3);
    expect(refused.every((result) => result.output === 'refused')).toBe(true);
    // messages handled side by side may each meet the spent budget before the source is marked disabled
    expect(refused.every((result) => result.outcome === 'source_limit_exceeded' || result.outcome === 'source_disabled')).toBe(true);
    expect(refused.find((result) => result.outcome === 'source_limit_exceeded')!.reason).toMatch(/now disabled/);
    await publish('alerts/burst', event('F-7'));
    await waitFor(async () => from('alerts/burst').length >= 4, 30_000, () => JSON.stringify(results));
    expect(from('alerts/burst')[3]).toMatchObject({ output: 'refused', outcome: 'source_disabled', reason: expect.stringMatching(/disabled/) });
    // the other source on the same broker and store is unaffected
    await publish('backups/alerts/main', event('B-2'));
    await waitFor(async () => from('backup-alerts').length >= 2, 30_000, () => JSON.stringify(results));
    expect(from('backup-alerts')[1]).toMatchObject({ output: 'review', outcome: 'accepted' });
    expect(red.log()).not.toMatch(/\[error\]/);
  });

  it('verifies a signature carried in MQTT 5 user properties and refuses a forged message', async () => {
    const body = event('S-1', 'Signed backup alert');
    const signed = signRequest('standard-webhooks', secret, Buffer.from(body), { id: 'msg_bus_s1', timestamp: Math.floor(Date.now() / 1000) });
    await publish('alerts/signed', body, signed);
    await waitFor(async () => from('bus-signed').length >= 1, 30_000, () => JSON.stringify(results));
    expect(from('bus-signed')).toEqual([expect.objectContaining({ output: 'review', outcome: 'accepted', title: 'Signed backup alert' })]);
    await publish('alerts/signed', event('S-2', 'Forged'), signed);
    await publish('alerts/signed', event('S-3', 'Unsigned'));
    await waitFor(async () => from('alerts/signed').length >= 2, 30_000, () => JSON.stringify(results));
    expect(from('alerts/signed').map((result) => [result.output, result.outcome])).toEqual([['refused', 'unauthorized'], ['refused', 'unauthorized']]);
    expect(from('alerts/signed')[0]!.reason).toMatch(/authentication failed/);
    expect(JSON.stringify(results)).not.toContain(secret);
    expect(red.log()).not.toContain(secret);
  });

  it('delivers the incidents of an auto-create source to incident.io: mqtt in → incident submit → incidentio-out', async () => {
    await publish('alerts/create', event('C-1', 'Backup of db-1 failed'));
    await publish('alerts/create', '{"title": "oops",');
    // messages are handled side by side: the update is sent once the incident it updates exists
    await waitFor(async () => from('incidentio').length >= 1, 30_000, () => JSON.stringify(results));
    await publish('alerts/create', JSON.stringify({ ...JSON.parse(event('C-1', 'Backup of db-1 failed')), status: 'resolved' }));
    await waitFor(async () => from('incidentio').length >= 2 && from('alerts/create').length >= 1, 30_000, () => JSON.stringify(results));
    expect(from('bus-create').map((result) => [result.output, result.outcome, result.change, result.title])).toEqual([
      ['incident', 'accepted', 'created', 'Backup of db-1 failed'],
      ['incident', 'accepted', 'updated', 'Backup of db-1 failed'],
    ]);
    expect(from('alerts/create')).toEqual([expect.objectContaining({ output: 'refused', outcome: 'malformed' })]);
    expect(from('incidentio').map((result) => result.outcome)).toEqual(['delivered', 'delivered']);
    const alerts = incidentIo.requests.filter((request) => request.path === '/v2/alert_events/http/alert-source-1');
    expect(alerts.map((request) => (request.body as { status: string }).status)).toEqual(['firing', 'resolved']);
    expect(alerts.map((request) => (request.body as { title: string }).title)).toEqual(['Backup of db-1 failed', 'Backup of db-1 failed']);
    expect(new Set(alerts.map((request) => (request.body as { deduplication_key: string }).deduplication_key)).size).toBe(1);
    expect(incidentIo.contractViolations).toEqual([]);
    expect(red.log()).not.toContain('alert-token-1');
  });
});

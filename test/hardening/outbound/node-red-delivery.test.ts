import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeRedHost } from '../support/node-red-host';
import { countingServer, type CountingServer } from '../support/counting-server';
import { incidentRecord } from '../support/incident-record';
import { scanForSecrets } from '../support/secret-scan';
import { SECRETS } from '../support/secrets';

/**
 * The delivery nodes in a real Node-RED: a destination on loopback is refused unless the node allows it, and
 * a receiver that echoes the credentials back — raw, hex, base64 — leaves no trace of them anywhere.
 */
const work = mkdtempSync(join(tmpdir(), 'hardening-node-red-delivery-'));
let host: Awaited<ReturnType<typeof startNodeRedHost>>;
let echo: CountingServer;
let refusedTarget: CountingServer;
const DELIVERY_SECRETS = { deliverySigning: SECRETS.deliverySigning, deliveryBearer: SECRETS.deliveryBearer, apiKey: 'hardening-api-key-9d2e6f1c4b' };

function deliveryFlows(): object[] {
  const incident = incidentRecord('inc_node_red', 'default');
  const headers = JSON.stringify({ Authorization: `Bearer ${DELIVERY_SECRETS.deliveryBearer}`, 'X-Api-Key': DELIVERY_SECRETS.apiKey });
  return [
    { id: 'd-tab', type: 'tab', label: 'Delivery' },
    { id: 'd-inject', z: 'd-tab', type: 'inject', props: [{ p: 'payload' }], repeat: '', once: true, onceDelay: '0.5', payload: JSON.stringify(incident), payloadType: 'json', wires: [['d-refused', 'd-allowed']] },
    { id: 'd-refused', z: 'd-tab', type: 'webhook-out', store: 'h-store', tenant: 'default', url: `${refusedTarget.url}/internal`, scheme: 'none', maxAttempts: '1', wires: [['h-debug']] },
    { id: 'd-allowed', z: 'd-tab', type: 'webhook-out', store: 'h-store', tenant: 'default', url: `${echo.url}/hooks`, headers, allowHosts: '127.0.0.1', maxAttempts: '1', credentials: { secret: DELIVERY_SECRETS.deliverySigning }, wires: [['h-debug']] },
  ];
}

function deliveries(storePath: string): Array<{ destination_id: string; state: string; reason: string | null; summary: string | null }> {
  const db = new DatabaseSync(storePath, { readOnly: true });
  try {
    return db.prepare('SELECT d.destination_id, d.state, a.reason, a.summary FROM deliveries d LEFT JOIN delivery_attempts a ON a.delivery_id = d.id').all() as never;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  refusedTarget = await countingServer((_request, response) => response.writeHead(200).end());
  // Echoes what it was sent, as a careless receiver might: the credentials raw, in hex and in base64.
  echo = await countingServer((request, response) => {
    const authorization = String(request.headers.authorization ?? '');
    const apiKey = String(request.headers['x-api-key'] ?? '');
    const body = { echo: authorization, key: apiKey, hex: Buffer.from(authorization).toString('hex'), b64: Buffer.from(authorization).toString('base64'), keyB64: Buffer.from(apiKey).toString('base64url') };
    response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': Buffer.from(apiKey).toString('hex') }).end(JSON.stringify(body));
  });
  host = await startNodeRedHost(join(work, 'drift.log'));
  await host.deploy([...(await import('../support/node-red-host')).catalogueFlows(deliveryFlows())]);
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await Promise.all([echo?.close(), refusedTarget?.close()]);
  rmSync(work, { recursive: true, force: true });
});

describe('delivery nodes in a real Node-RED', () => {
  it('dead-letters a loopback destination the node does not allow, without connecting; delivers the allowed one', async () => {
    let rows: ReturnType<typeof deliveries> = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
      rows = deliveries(host.storePath);
      if (rows.length === 2 && rows.every((row) => row.state !== 'scheduled' && row.state !== 'in_flight')) break;
    }
    const byNode = Object.fromEntries(rows.map((row) => [row.destination_id, row]));
    expect(byNode['node-red-d-refused']).toMatchObject({ state: 'dead_letter', reason: 'destination_refused' });
    expect(byNode['node-red-d-allowed']).toMatchObject({ state: 'delivered', reason: 'http_200' });
    expect(refusedTarget.connections).toBe(0);
    expect(echo.requests).toBe(1);
  });

  it('keeps no form of the delivery credentials in the store, the log or the node outputs', () => {
    const hits = scanForSecrets(
      {
        log: host.log(),
        store: readFileSync(host.storePath),
        wal: readFileSync(`${host.storePath}-wal`, { flag: 'r' }),
        attempts: JSON.stringify(deliveries(host.storePath)),
      },
      DELIVERY_SECRETS,
    );
    expect(hits).toEqual([]);
  });
});

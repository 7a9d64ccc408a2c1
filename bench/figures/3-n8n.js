// Figure 3: the real n8n from the e2e suite (the cached n8n 2.41.1, started with the suite's N8nInstance on
// loopback, with this package staged the way n8n's Community Nodes installer installs it). Two published
// workflows feed the same no-op node: one starts with the Incident Intake Trigger (PagerDuty signature,
// mapping, dedupe, SQLite store, review mode), the other with n8n's own Webhook node (POST, answering at
// once). autocannon, in this process, sends the same distinct signed PagerDuty webhooks to each in turn;
// throughput in requests/s. Overhead = Webhook rate / Trigger rate − 1.
'use strict';
const { randomUUID } = require('node:crypto');
const { cp, mkdtemp, mkdir, rm, writeFile } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runFigure } = require('../lib/figure');
const { ROOT } = require('../lib/paths');
const { PROVIDERS, SECRETS, signedHeaders } = require('../lib/payloads');
const { drive } = require('../lib/load');
const { available: procAvailable, treeCpuSeconds } = require('../lib/proc-cpu');
const { n8nInstance, cleanSupport } = require('../lib/support');

const PACKAGE_NAME = require(join(ROOT, 'package.json')).name;
const CONNECTIONS = 8;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Both nodes answer the sender before their workflow runs, so executions can still be running after the
 * load stops. Waits (up to two minutes) until the n8n processes use less than a tenth of a core over a second.
 */
async function settle(pid) {
  if (!procAvailable || !pid) return sleep(5000);
  const deadline = Date.now() + 120_000;
  let before = treeCpuSeconds(pid);
  while (Date.now() < deadline) {
    await sleep(1000);
    const now = treeCpuSeconds(pid);
    if (now - before < 0.1) return;
    before = now;
  }
}

function workflow(id, name, start) {
  const noOp = { id: randomUUID(), name: 'No-op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} };
  const outputs = start.type.endsWith('incidentIntakeTrigger') ? 3 : 1;
  return {
    id,
    name,
    nodes: [start, noOp],
    connections: { [start.name]: { main: Array.from({ length: outputs }, () => [{ node: 'No-op', type: 'main', index: 0 }]) } },
    settings: { executionOrder: 'v1' },
    active: false,
    pinData: {},
    tags: [],
  };
}

const WORKFLOWS = {
  trigger: workflow('BenchIntakeTrig1', 'bench: Incident Intake Trigger → no-op', {
    id: randomUUID(),
    name: 'Intake',
    type: `${PACKAGE_NAME}.incidentIntakeTrigger`,
    typeVersion: 1,
    position: [0, 0],
    parameters: {
      path: 'bench/intake',
      sourceId: 'bench-pagerduty',
      provider: 'pagerduty',
      mode: 'review',
      severityFilter: [],
      limits: { tenantPerDay: 1_000_000_000, sourcePerHour: 1_000_000_000 },
      sourceOptions: { tenant: 'bench' },
    },
    credentials: {
      incidentIntakeSourceAuthApi: { id: 'BenchPagerDuty01', name: 'bench PagerDuty signature' },
      incidentIntakeStoreApi: { id: 'BenchIntakeStore', name: 'bench intake store' },
    },
    webhookId: randomUUID(),
  }),
  webhook: workflow('BenchWebhook0001', "bench: n8n's Webhook → no-op", {
    id: randomUUID(),
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    parameters: { httpMethod: 'POST', path: 'bench/webhook', responseMode: 'onReceived', options: {} },
    webhookId: randomUUID(),
  }),
};

runFigure(async ({ quick, log }) => {
  const n8nDir = process.env.BENCH_N8N_DIR;
  const packageDir = process.env.BENCH_N8N_PACKAGE;
  if (!n8nDir || !packageDir) throw new Error('run through npm run bench (the runner installs n8n and stages the package)');
  const { N8nInstance } = n8nInstance();
  const { freePort } = require(join(ROOT, 'scripts/demo/node-red-process.js'));
  const userFolder = await mkdtemp(join(tmpdir(), 'intake-bench-n8n-'));
  let port = await freePort(0);
  while ((await freePort(port + 1)) !== port + 1) port = await freePort(0);
  const n8n = new N8nInstance(n8nDir, userFolder, port);
  try {
    await cp(packageDir, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
    const credentials = [
      { id: 'BenchIntakeStore', name: 'bench intake store', type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: '' } },
      { id: 'BenchPagerDuty01', name: 'bench PagerDuty signature', type: 'incidentIntakeSourceAuthApi', data: { scheme: 'pagerduty', secret: SECRETS.pagerduty } },
    ];
    await writeFile(join(userFolder, 'credentials.json'), JSON.stringify(credentials));
    const workflows = join(userFolder, 'workflows');
    await mkdir(workflows);
    for (const [name, definition] of Object.entries(WORKFLOWS)) await writeFile(join(workflows, `${name}.json`), JSON.stringify(definition));
    await n8n.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
    await n8n.cli('import:workflow', '--separate', `--input=${workflows}`);
    for (const definition of Object.values(WORKFLOWS)) await n8n.cli('publish:workflow', `--id=${definition.id}`);
    const starting = Date.now();
    await n8n.start();
    await n8n.waitForWebhook('/webhook/bench/intake');
    await n8n.waitForWebhook('/webhook/bench/webhook');
    log(`n8n up in ${Math.round((Date.now() - starting) / 1000)} s`);

    const urls = { trigger: `${n8n.baseUrl}/webhook/bench/intake`, webhook: `${n8n.baseUrl}/webhook/bench/webhook` };
    for (const [side, url] of Object.entries(urls)) {
      const body = PROVIDERS.pagerduty.body(0);
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', body, headers: signedHeaders('pagerduty', body) });
      const text = await response.text();
      log(`probe ${side}: ${response.status} in ${Math.round(performance.now() - started)} ms ${text.slice(0, 200)}`);
    }
    const runs = quick ? 2 : 4;
    const seconds = quick ? 4 : 12;
    await drive(urls.webhook, { seconds: quick ? 2 : 5, connections: CONNECTIONS });
    await drive(urls.trigger, { seconds: quick ? 2 : 5, connections: CONNECTIONS });
    const rates = { trigger: [], webhook: [] };
    const cpuMs = { trigger: [], webhook: [] };
    const n8nPid = n8n.process?.pid;
    const problems = [];
    for (let run = 0; run < runs; run++) {
      for (const side of run % 2 === 0 ? ['webhook', 'trigger'] : ['trigger', 'webhook']) {
        await settle(n8nPid);
        const cpuBefore = procAvailable && n8nPid ? treeCpuSeconds(n8nPid) : 0;
        const result = await drive(urls[side], { seconds, connections: CONNECTIONS });
        // CPU until the executions these requests started have run too, per request answered.
        await settle(n8nPid);
        if (procAvailable && n8nPid) cpuMs[side].push(result.rps > 0 ? ((treeCpuSeconds(n8nPid) - cpuBefore) * 1000) / (result.rps * seconds) : NaN);
        if (result.non2xx || result.errors) problems.push(`${side}: ${result.non2xx} non-2xx, ${result.errors} errors (${JSON.stringify(result.statusCodes)})`);
        rates[side].push(result.rps);
      }
      log(`run ${run + 1}: trigger ${Math.round(rates.trigger[run])} req/s, webhook ${Math.round(rates.webhook[run])} req/s`);
    }
    const version = require(join(n8nDir, 'node_modules/n8n/package.json')).version;
    return {
      rows: [
        {
          id: '3a',
          figure: "n8n: Incident Intake Trigger vs n8n's Webhook node, same no-op workflow, throughput",
          unit: 'req/s',
          format: 'rate',
          measuredLabel: 'Trigger',
          baselineLabel: 'Webhook',
          measured: rates.trigger,
          baseline: rates.webhook,
          ratio: rates.trigger.map((value, run) => rates.webhook[run] / value),
          ratioLabel: "the Webhook's cost",
          target: { op: '<=', value: 1.1, text: '≤ 1.10× (≤ 10% overhead)' },
        },
        ...(cpuMs.trigger.length === runs && cpuMs.webhook.length === runs
          ? [
              {
                id: '3b',
                figure: 'n8n: CPU of the n8n processes per request (same runs)',
                unit: 'ms',
                format: 'ms',
                measuredLabel: 'Trigger',
                baselineLabel: 'Webhook',
                measured: cpuMs.trigger,
                baseline: cpuMs.webhook,
                ratio: cpuMs.trigger.map((value, run) => value / cpuMs.webhook[run]),
                ratioLabel: 'Webhook',
                target: { op: '<=', value: 1.1, text: '≤ 1.10× (≤ 10% overhead)' },
              },
            ]
          : []),
      ],
      notes: [
        `n8n ${version} (regular execution mode, SQLite, default execution saving) with the package staged as the Community Nodes installer does; ${runs} runs of ${seconds} s per side, alternating, ${CONNECTIONS} connections, every request a distinct signed PagerDuty webhook (the Webhook node ignores the signature).`,
        problems.length ? `Answers that were not 2xx: ${problems.join('; ')}.` : 'Every answer was 2xx.',
        'Before each measurement n8n is left to finish earlier executions (until its processes use under a tenth of a core). 3b reads the CPU time of the n8n process tree (all threads, task runner included) from /proc from the start of a measurement until the executions it started have finished, divided by the requests answered: on a shared machine it is steadier than throughput.',
      ],
    };
  } finally {
    await n8n.stop();
    if (process.env.BENCH_KEEP !== '1') await rm(userFolder, { recursive: true, force: true });
    cleanSupport();
  }
});

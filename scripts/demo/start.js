#!/usr/bin/env node
// `npm start`: a real Node-RED with this package and the example flows on 127.0.0.1, the embedded SQLite store
// in .data/, and a local stand-in for incident.io and a webhook receiver. Prints the editor URL, the intake
// URLs and the exact commands that fire signed sample events. Ctrl-C stops everything.
//   --port N   editor/intake port (default 1880, or a free one if taken)
//   --data DIR user directory (default .data/node-red; its SQLite store is kept between runs)
//   --once     start from an empty store, fire the samples itself, approve the Jira event, wait for every
//              delivery, print, and exit (exit 1 if any step fails)
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync, rmSync } = require('node:fs');
const { join, resolve, relative } = require('node:path');
const { parseArgs } = require('node:util');
const { REPO, startNodeRed, waitFor } = require('./node-red-process');
const { startStandInReceiver } = require('./stand-in-receiver');

const HELP = `Usage: npm start [-- --port N] [-- --data DIR] [-- --once]

Boots Node-RED with the incident-intake nodes and three example flows on 127.0.0.1, the SQLite store in the
user directory, and a local stand-in for incident.io / a webhook receiver (its first answer per route is a 503,
so you see a retry). Ctrl-C stops it.`;

function parse() {
  const { values } = parseArgs({ options: { port: { type: 'string' }, data: { type: 'string' }, once: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  return { port: values.port ? Number(values.port) : 1880, userDir: resolve(values.data ?? join(REPO, '.data/node-red')), once: values.once === true };
}

function exampleFlows(secrets) {
  const read = (name) => JSON.parse(readFileSync(join(REPO, 'examples/node-red', name), 'utf8'));
  const flows = [...read('jira-review-incidentio.json'), ...read('pagerduty-autocreate-webhook.json'), ...read('alertmanager-incidentio-alerts.json')];
  const credentials = {
    'ex1-source': { secret: secrets.jira },
    'ex1-account': { apiKey: 'demo-api-key' },
    'ex2-source': { secret: secrets.pagerduty },
    'ex2-webhook': { secret: secrets.webhook },
    'ex3-source': { secret: secrets.alertmanager },
    'ex3-account': { alertSourceToken: 'demo-alert-source-token' },
  };
  return flows
    .filter((node) => !(node.type === 'intake-store' && node.id !== 'ex1-store'))
    .map((node) => ({
      ...node,
      ...(node.store ? { store: 'ex1-store' } : {}),
      ...(credentials[node.id] ? { credentials: credentials[node.id] } : {}),
      // a short schedule so the demo's simulated outage recovers in seconds
      ...(node.type === 'webhook-out' || node.type === 'incidentio-out' ? { retrySchedule: '3, 5, 10' } : {}),
    }));
}

function commands(url) {
  const rel = (path) => relative(process.cwd(), join(REPO, path)) || '.';
  return [
    `npm run -s incident-intake -- send --url ${url}/intake/jira-prod --scheme hub-sha256 --secret-env JIRA_SECRET --provider jira < ${rel('examples/payloads/jira-issue-created.json')}`,
    `npm run -s incident-intake -- send --url ${url}/intake/pagerduty --scheme pagerduty --secret-env PAGERDUTY_SECRET --provider pagerduty < ${rel('examples/payloads/pagerduty-incident-triggered.json')}`,
    `npm run -s incident-intake -- send --url ${url}/intake/alertmanager --scheme token --secret-env ALERTMANAGER_TOKEN < ${rel('examples/payloads/alertmanager-firing.json')}`,
  ];
}

function runSend(command, env) {
  const [, ...rest] = command.split(' < ');
  const words = command.split(' < ')[0].split(' ');
  const args = words.slice(words.indexOf('send'));
  return execFileSync(process.execPath, [join(REPO, 'dist/cli/main.js'), ...args], { input: readFileSync(resolve(process.cwd(), rest[0])), env: { ...process.env, ...env } }).toString();
}

async function main() {
  const options = parse();
  if (options.once) for (const suffix of ['', '-wal', '-shm']) rmSync(join(options.userDir, `incident-intake.sqlite${suffix}`), { force: true });
  const secrets = {
    jira: `jira-${Math.random().toString(36).slice(2, 12)}`,
    pagerduty: `pagerduty-${Math.random().toString(36).slice(2, 12)}`,
    alertmanager: `am-${Math.random().toString(36).slice(2, 12)}`,
    webhook: require(join(REPO, 'dist/core/signing')).generateStandardWebhookSecret(),
  };
  const receiver = await startStandInReceiver({ webhookSecret: secrets.webhook, log: (line) => console.log(`  [stand-in receiver] ${line}`) });
  const red = await startNodeRed({
    userDir: options.userDir,
    port: options.port,
    // The demo's stand-in receiver listens on loopback, which delivery nodes refuse unless allowed.
    env: { INCIDENT_IO_URL: receiver.url, INCIDENT_IO_ALERT_SOURCE_ID: 'demo-alert-source', RECEIVER_URL: `${receiver.url}/hooks/incidents`, INCIDENT_INTAKE_OUTBOUND_ALLOW: '127.0.0.1' },
  });
  await red.deploy(exampleFlows(secrets));
  const stop = async () => {
    await red.stop();
    await receiver.close();
  };
  const env = { JIRA_SECRET: secrets.jira, PAGERDUTY_SECRET: secrets.pagerduty, ALERTMANAGER_TOKEN: secrets.alertmanager };
  const sends = commands(red.url);
  console.log(`
Node-RED editor:  ${red.url}/
Intake URLs:      ${red.url}/intake/jira-prod        (Jira, X-Hub-Signature)
                  ${red.url}/intake/pagerduty        (PagerDuty v3, X-PagerDuty-Signature, auto-create)
                  ${red.url}/intake/alertmanager     (Alertmanager, bearer token, critical/high only)
Store:            ${join(options.userDir, 'incident-intake.sqlite')}
incident.io and the webhook receiver are stood in for at ${receiver.url}

Fire signed sample events (in another terminal, from ${process.cwd()}):
  export ${Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ')}
${sends.map((c) => `  ${c}`).join('\n')}

Approve the Jira event (use the event id from its answer) — the incident is then created in incident.io:
  curl -s -X POST ${red.url}/jira/approve -H 'content-type: application/json' -d '{"eventId":"evt_…","actor":"you","reason":"looks real"}'
`);
  if (options.once) {
    try {
      await runOnce(red, receiver, sends, env);
    } finally {
      await stop();
    }
    return;
  }
  console.log('Press Ctrl-C to stop.');
  await new Promise((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  await stop();
  console.log('Stopped.');
}

async function runOnce(red, receiver, sends, env) {
  const answers = sends.map((command) => {
    const output = runSend(command, env);
    console.log(`$ ${command.split(' --secret-env')[0]} …\n${output.trim()}`);
    return JSON.parse(output.slice(output.indexOf('{')));
  });
  const eventId = answers[0].events[0].id;
  const approval = await fetch(`${red.url}/jira/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ eventId, actor: 'demo', reason: 'approved by npm start --once' }),
  });
  console.log(`$ approve ${eventId} → ${approval.status}`);
  if (approval.status !== 200) throw new Error(`approval failed: ${approval.status} ${await approval.text()}`);
  const delivered = (route) => receiver.received.some((r) => r.route.startsWith(route) && r.status < 300);
  await waitFor(async () => delivered('POST /v2/incidents') && delivered('POST /hooks/incidents') && delivered('POST /v2/alert_events/http/'), 60_000, () => JSON.stringify(receiver.received, null, 2));
  console.log('\nEvery sample reached its destination (after one simulated outage each): review → promote → delivery with retry works.');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

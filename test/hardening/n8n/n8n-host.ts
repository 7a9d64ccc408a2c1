import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { N8nInstance, n8nEnv } from '../../n8n/e2e/n8n-instance';
import { CATALOGUE_SOURCES, sourceList, type CatalogueSource, type SourceKey } from '../catalogue/sources';
import { driftMonitorEnv } from '../support/event-loop-drift';
import type { IntakeHost } from '../support/intake-host';

const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';
const WORKFLOW_ID = 'HardeningIntake1';
const STORE_CREDENTIAL = { id: 'HardeningStore01', name: 'Hardening store' };

const credentialId = (source: CatalogueSource) => `HardAuth${source.key}`.slice(0, 16).padEnd(16, '0');

function credentials(storePath: string): object[] {
  return [
    { ...STORE_CREDENTIAL, type: 'incidentIntakeStoreApi', data: { backend: 'sqlite', sqlitePath: storePath } },
    ...sourceList().map((source) => ({
      id: credentialId(source),
      name: `Hardening ${source.key}`,
      type: 'incidentIntakeSourceAuthApi',
      data: { scheme: source.scheme, secret: source.secret, ...(source.header ? { header: source.header } : {}), ...(source.timestampHeader ? { timestampHeader: source.timestampHeader } : {}) },
    })),
  ];
}

/** One Incident Intake Trigger per catalogue source, all in one workflow, all on one store. */
function workflow(): object {
  const nodes = sourceList().map((source, index) => ({
    id: randomUUID(),
    name: `Intake ${source.key}`,
    type: `${PACKAGE_NAME}.incidentIntakeTrigger`,
    typeVersion: 1,
    position: [0, index * 200],
    webhookId: randomUUID(),
    parameters: {
      path: `hard/${source.key}`,
      sourceId: source.sourceId,
      provider: source.provider,
      mode: 'review',
      ...(source.mappingExpression ? { mapping: { expression: source.mappingExpression } } : {}),
      limits: {
        maxBodyKb: source.maxBodyKb,
        quarantineDisableCount: source.quarantineDisableCount,
        ...(source.tenantPerDay !== undefined ? { tenantPerDay: source.tenantPerDay } : {}),
        ...(source.sourcePerHour !== undefined ? { sourcePerHour: source.sourcePerHour } : {}),
      },
      sourceOptions: { tenant: source.tenant },
    },
    credentials: {
      incidentIntakeSourceAuthApi: { id: credentialId(source), name: `Hardening ${source.key}` },
      incidentIntakeStoreApi: STORE_CREDENTIAL,
    },
  }));
  return { id: WORKFLOW_ID, name: 'Hardening: bad-request catalogue', nodes, connections: {}, settings: { executionOrder: 'v1' }, active: false };
}

async function waitForWebhook(url: string, alive: () => boolean, log: () => Promise<string>): Promise<void> {
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 500))) {
    if (!alive()) throw new Error(`n8n exited during start-up:\n${(await log()).slice(-4000)}`);
    const status = await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).then((response) => response.status, () => 0);
    if (status !== 0 && status !== 404 && status !== 503) return;
  }
  throw new Error(`${url} did not come up:\n${(await log()).slice(-4000)}`);
}

/**
 * A real n8n (from the n8n e2e suite's cache, the package staged as the Community Nodes installer would),
 * with every catalogue source as an Incident Intake Trigger and the drift monitor preloaded into n8n's own
 * process. Started directly rather than through N8nInstance.start, which cannot take extra environment.
 */
export async function startN8nHost(options: { n8nDir: string; packageDir: string; userFolder: string; port: number; driftFile: string }): Promise<IntakeHost & { executionData(): string }> {
  const { n8nDir, packageDir, userFolder, port, driftFile } = options;
  const instance = new N8nInstance(n8nDir, userFolder, port);
  const storePath = join(userFolder, 'hardening-intake.sqlite');
  await cp(packageDir, join(userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  await writeFile(join(userFolder, 'credentials.json'), JSON.stringify(credentials(storePath)));
  await mkdir(join(userFolder, 'workflows'), { recursive: true });
  await writeFile(join(userFolder, 'workflows', 'hardening.json'), JSON.stringify(workflow()));
  await instance.cli('import:credentials', `--input=${join(userFolder, 'credentials.json')}`);
  await instance.cli('import:workflow', '--separate', `--input=${join(userFolder, 'workflows')}`);
  await instance.cli('publish:workflow', `--id=${WORKFLOW_ID}`);

  let output = '';
  const child = spawn(process.execPath, [join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'), 'start'], { env: { ...n8nEnv(userFolder, port), ...driftMonitorEnv(driftFile) }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const baseUrl = `http://127.0.0.1:${port}`;
  for (const source of sourceList()) await waitForWebhook(`${baseUrl}/webhook/hard/${source.key}`, alive, async () => output);
  return {
    kind: 'n8n',
    port,
    pid: child.pid!,
    storePath,
    driftFile,
    path: (source: SourceKey) => `/webhook/hard/${CATALOGUE_SOURCES[source].key}`,
    async isAlive() {
      if (!alive()) return false;
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      return response?.status === 200;
    },
    log: () => output,
    executionData: () => instance.executions().map((execution) => execution.raw).join('\n'),
    async stop() {
      if (!alive()) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}


import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { privateBuild } from './private-build';
import { CATALOGUE_SOURCES, sourceList, type CatalogueSource, type SourceKey } from '../catalogue/sources';
import { startNodeRed, waitFor } from '../../support/node-red-runtime';
import { driftMonitorEnv } from './event-loop-drift';
import type { IntakeHost } from './intake-host';

const STORE_FILE = 'hardening.sqlite';
const TAB = 'h-tab';

/** Node-RED config for one catalogue source: its config node and the intake node serving it. */
function sourceNodes(source: CatalogueSource): object[] {
  const config = {
    id: `h-src-${source.key}`,
    type: 'intake-source',
    tenant: source.tenant,
    sourceId: source.sourceId,
    provider: source.provider,
    mode: 'review',
    scheme: source.scheme,
    signatureHeader: source.header ?? '',
    timestampHeader: source.timestampHeader ?? '',
    maxBodyKb: String(source.maxBodyKb),
    tenantPerDay: source.tenantPerDay === undefined ? '' : String(source.tenantPerDay),
    sourcePerHour: source.sourcePerHour === undefined ? '' : String(source.sourcePerHour),
    quarantineDisableCount: String(source.quarantineDisableCount),
    mappingExpression: source.mappingExpression ?? '',
    credentials: { secret: source.secret },
  };
  const intake = { id: `h-in-${source.key}`, z: TAB, type: 'incident-intake', source: config.id, store: 'h-store', path: `/hard/${source.key}`, wires: [['h-debug'], ['h-debug'], ['h-debug']] };
  return [config, intake];
}

/** The catalogue flow: every source, one SQLite store, and every intake output printed to the log (scanned for secrets). */
export function catalogueFlows(extra: object[] = []): object[] {
  return [
    { id: TAB, type: 'tab', label: 'Hardening' },
    { id: 'h-store', type: 'intake-store', sqlitePath: STORE_FILE },
    ...sourceList().flatMap(sourceNodes),
    { id: 'h-debug', z: TAB, type: 'debug', active: true, tosidebar: false, console: true, tostatus: false, complete: 'true', targetType: 'full' },
    ...extra,
  ];
}

/** A Node-RED user directory with the package (a private build of the current sources) installed in it. */
export function userDirWithPackage(): string {
  const build = privateBuild();
  const name = (JSON.parse(readFileSync(join(build, 'package.json'), 'utf8')) as { name: string }).name;
  const userDir = mkdtempSync(join(tmpdir(), 'hardening-node-red-'));
  const target = join(userDir, 'node_modules', ...name.split('/'));
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(build, target, 'dir');
  writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'hardening-node-red', private: true, dependencies: { [name]: `file:${build}` } }));
  return userDir;
}

/** A real Node-RED child process with the catalogue deployed and its event loop watched from inside. */
export async function startNodeRedHost(driftFile: string, extraNodes: object[] = []): Promise<IntakeHost & { deploy(flows: object[]): Promise<void>; url: string; userDir: string }> {
  const userDir = userDirWithPackage();
  const red = await startNodeRed({ userDir, linkPackage: false, env: driftMonitorEnv(driftFile) });
  await red.deploy(catalogueFlows(extraNodes));
  await waitFor(async () => /Started flows/.test(red.log()), 30_000, () => red.log());
  const port = Number(new URL(red.url).port);
  return {
    kind: 'node-red',
    url: red.url,
    port,
    pid: red.child.pid!,
    storePath: join(red.userDir, STORE_FILE),
    driftFile,
    path: (source: SourceKey) => `/hard/${CATALOGUE_SOURCES[source].key}`,
    async isAlive() {
      if (red.child.exitCode !== null || red.child.signalCode !== null) return false;
      const response = await fetch(`${red.url}/settings`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      await response?.arrayBuffer();
      return response?.status === 200;
    },
    log: () => red.log(),
    userDir,
    deploy: (flows) => red.deploy(flows),
    async stop() {
      await red.stop();
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}

import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIntakeServer, type IntakeServer } from '../../cli/demo/intake-server';
import { parseSourceConfig } from '../../core/intake/source-config';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import { generateSecret, generateStandardWebhookSecret } from '../../core/signing';
import { reconcileSealedSecrets } from '../../core/sources/sealed-source-secrets';
import { registerSource } from '../../core/sources/source-admin';
import { SourceSecretVault } from '../../core/sources/source-secret-vault';
import { openSqliteStore } from '../../core/store';
import type { Store } from '../../core/store/store';
import { seedDeadLetters } from '../templates/dead-letters';
import type { DemoInfrastructure } from './demo-infrastructure';

/** Where a document's commands run, with what, and which addresses in them mean the test's own servers. */
export interface DocEnvironment {
  cwd: string;
  env: Record<string, string>;
  /** [as written in the doc, where it really is] */
  rewrites: Array<[string, string]>;
  close(): Promise<void>;
}

/** Docs whose commands talk to the `npm start` demo (written for port 1880 and its .data folder). */
export const DEMO_DOCS = new Set(['docs/quick-start.md', 'docs/review.md', 'docs/disabled-sources.md', 'docs/status-codes.md']);

/** A private folder per document, with the repository's examples and test fixtures where the docs expect them. */
function sandbox(repo: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'docs-test-'));
  symlinkSync(join(repo, 'examples'), join(dir, 'examples'), 'dir');
  symlinkSync(join(repo, 'test'), join(dir, 'test'), 'dir');
  return dir;
}

/**
 * The README's command-line examples assume the files they name (alert.json, event.json, …: copied from
 * test/docs/fixtures/readme), a Standard Webhooks secret in SECRET, and an intake for source `jira` on
 * 127.0.0.1:8080, which the test serves on a free port.
 */
async function readmeEnvironment(repo: string, cwd: string): Promise<Partial<DocEnvironment>> {
  cpSync(join(repo, 'test/docs/fixtures/readme'), cwd, { recursive: true });
  const secret = generateStandardWebhookSecret();
  const store: Store = await openSqliteStore(join(cwd, 'readme-intake.sqlite'));
  const normaliser = createNormaliser({ provider: 'generic' });
  const source = parseSourceConfig({ id: 'jira', provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] } });
  const server: IntakeServer = await startIntakeServer({ store, sources: [{ source, normaliser }] });
  return {
    env: { SECRET: secret },
    rewrites: [['http://127.0.0.1:8080', server.url]],
    close: async () => {
      await server.close();
      await normaliser.close?.();
      await store.close();
    },
  };
}

/** delivery.md replays dead letters of destination `soc-webhook` (tenant acme) in `intake.sqlite`. */
async function deliveryEnvironment(cwd: string): Promise<Partial<DocEnvironment>> {
  const store = await openSqliteStore(join(cwd, 'intake.sqlite'));
  await seedDeadLetters(store, { tenant: 'acme', destinationId: 'soc-webhook', count: 30, at: Date.now() - 30 * 60_000 });
  await store.close();
  return {};
}

/**
 * rotation.md rotates source `pd-prod` (tenant acme) in `intake.sqlite`, whose store keeps the replaced secret
 * sealed under the key in INTAKE_KEY, as an n8n trigger leaves it after its credential's Secret was replaced.
 */
async function rotationEnvironment(cwd: string): Promise<Partial<DocEnvironment>> {
  const key = randomBytes(32).toString('base64');
  const store = await openSqliteStore(join(cwd, 'intake.sqlite'));
  const source = (secret: string) => parseSourceConfig({ tenant: 'acme', id: 'pd-prod', provider: 'pagerduty', auth: { scheme: 'pagerduty', secrets: [{ value: secret }] } });
  const vault = new SourceSecretVault([key]);
  await registerSource(store, source(generateSecret('pagerduty')));
  for (const secret of [generateSecret('pagerduty'), generateSecret('pagerduty')]) await reconcileSealedSecrets(store, vault, source(secret), { actor: 'n8n', graceSeconds: 86_400 });
  await store.close();
  return { env: { INTAKE_KEY: key } };
}

/**
 * console.md's API examples call a console on 127.0.0.1:8480 with $TOKEN: the test serves one on a free port,
 * on a store with an incident, whose users file lists that token's SHA-256.
 */
async function consoleEnvironment(cwd: string): Promise<Partial<DocEnvironment>> {
  const { createConsole, sha256Hex } = await import('../../core/console');
  const { createServer } = await import('node:http');
  const store = await openSqliteStore(join(cwd, 'intake.sqlite'));
  await store.transaction((r) => r.sources.ensure('acme', 'payments-monitor', 'generic', 'Payments monitor', Date.now()));
  const token = `iit_file_docs_${generateStandardWebhookSecret().slice(6)}`;
  const app = createConsole({ store, basePath: '', users: { users: [], apiTokens: [{ id: 'docs', name: 'docs', tenants: ['acme'], sha256: sha256Hex(token) }] } });
  const server = createServer((request, response) => void app.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    env: { TOKEN: token },
    rewrites: [['http://127.0.0.1:8480', `http://127.0.0.1:${port}`]],
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      await store.close();
    },
  };
}

export async function environmentFor(doc: string, repo: string, baseEnv: Record<string, string>, demo: DemoInfrastructure | undefined): Promise<DocEnvironment> {
  const cwd = sandbox(repo);
  let extra: Partial<DocEnvironment> = {};
  if (doc === 'README.md' || doc === 'docs/README-providers-snippet.md') extra = await readmeEnvironment(repo, cwd);
  if (doc === 'docs/delivery.md') extra = await deliveryEnvironment(cwd);
  if (doc === 'docs/rotation.md') extra = await rotationEnvironment(cwd);
  if (doc === 'docs/console.md') extra = await consoleEnvironment(cwd);
  const demoParts: Partial<DocEnvironment> =
    DEMO_DOCS.has(doc) && demo
      ? { env: demo.env, rewrites: [['http://127.0.0.1:1880', demo.url], ['.data/node-red/incident-intake.sqlite', demo.storePath]] }
      : {};
  return {
    cwd,
    env: { ...baseEnv, ...demoParts.env, ...extra.env },
    rewrites: [...(demoParts.rewrites ?? []), ...(extra.rewrites ?? [])],
    close: async () => {
      await extra.close?.();
      if (existsSync(cwd)) rmSync(cwd, { recursive: true, force: true });
    },
  };
}

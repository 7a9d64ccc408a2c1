import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** An offline n8n: loopback only, nothing that phones home. */
export function n8nEnv(userFolder: string, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: userFolder,
    N8N_USER_FOLDER: userFolder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
    N8N_DISABLED_MODULES: 'mcp-registry',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
    N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_RUNNERS_BROKER_PORT: String(port + 1),
    N8N_LOG_LEVEL: 'info',
    N8N_LOG_OUTPUT: 'console',
    DB_TYPE: 'sqlite',
    EXECUTIONS_MODE: 'regular',
    GENERIC_TIMEZONE: 'UTC',
    N8N_ENCRYPTION_KEY: 'incident-intake-e2e-only-key',
  };
}

export interface ExecutionRecord {
  id: number;
  workflowId: string;
  status: string;
  /** Items per node, per output index. */
  outputs: Record<string, Array<Array<Record<string, unknown>>>>;
  raw: string;
}

/** One n8n installation (from the cache) running against a throwaway user folder. */
export class N8nInstance {
  private process?: ChildProcess;
  readonly logFile: string;
  private readonly requireFromN8n: NodeRequire;

  constructor(
    readonly n8nDir: string,
    readonly userFolder: string,
    readonly port: number,
  ) {
    this.logFile = join(userFolder, 'n8n.log');
    this.requireFromN8n = createRequire(join(n8nDir, 'node_modules', 'n8n', 'package.json'));
  }

  /** The running n8n's process id (its main process, where the nodes run). */
  get pid(): number | undefined {
    return this.process?.exitCode === null ? this.process.pid : undefined;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private get bin(): string {
    return join(this.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
  }

  /** Runs an n8n CLI command (import, publish) against this user folder. */
  async cli(...args: string[]): Promise<string> {
    const { stdout, stderr } = await run(process.execPath, [this.bin, ...args], { env: n8nEnv(this.userFolder, this.port), maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  }

  async start(): Promise<void> {
    await mkdir(this.userFolder, { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.process = spawn(process.execPath, [this.bin, 'start'], { env: n8nEnv(this.userFolder, this.port), stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout!.pipe(log);
    this.process.stderr!.pipe(log);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  log(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  /**
   * Waits until a URL answers with something other than 404 (the webhook is registered). While its database
   * migrates, n8n answers every request with 200 "n8n is starting up", so that answer does not count.
   */
  async waitForWebhook(path: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process?.exitCode !== null) throw new Error(`n8n exited early; log:\n${this.log().slice(-4000)}`);
      const status = await fetch(`${this.baseUrl}${path}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).then(
        async (response) => ((await response.text()).startsWith('n8n is starting up') ? 0 : response.status),
        () => 0,
      );
      if (status !== 0 && status !== 404 && status !== 503) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`webhook ${path} did not come up; log:\n${this.log().slice(-4000)}`);
  }

  /** Finished executions, oldest first, with each node's output items (read from n8n's own database). */
  executions(workflowId?: string): ExecutionRecord[] {
    const { parse } = this.requireFromN8n('flatted') as { parse: (text: string) => unknown };
    const db = new DatabaseSync(join(this.userFolder, '.n8n', 'database.sqlite'), { readOnly: true });
    try {
      const rows = db
        .prepare('SELECT e.id, e.workflowId, e.status, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.finished = 1 OR e.status IN (?, ?) ORDER BY e.id')
        .all('success', 'error') as Array<{ id: number; workflowId: string; status: string; data: string }>;
      return rows
        .filter((row) => workflowId === undefined || row.workflowId === workflowId)
        .map((row) => ({ id: row.id, workflowId: row.workflowId, status: row.status, outputs: outputsOf(parse(row.data)), raw: row.data }));
    } finally {
      db.close();
    }
  }

  /** Polls until `predicate` holds for the executions of a workflow. */
  async waitForExecutions(workflowId: string, predicate: (executions: ExecutionRecord[]) => boolean, timeoutMs = 30_000): Promise<ExecutionRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const executions = this.executions(workflowId);
      if (predicate(executions)) return executions;
      if (Date.now() > deadline) throw new Error(`timed out waiting for executions of ${workflowId}: ${executions.length} so far`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

type RunData = { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } };

function outputsOf(data: unknown): ExecutionRecord['outputs'] {
  const runData = (data as RunData).resultData?.runData ?? {};
  return Object.fromEntries(
    Object.entries(runData).map(([node, runs]) => [node, (runs[0]?.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json))]),
  );
}

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { n8nEnv } from '../../../n8n/e2e/n8n-instance';

const run = promisify(execFile);
const PACKAGE_NAME = '@intakekit/n8n-nodes-incident-intake';

export type N8nRole = 'main' | 'webhook' | 'worker';

export interface QueueSettings {
  n8nDir: string;
  packageDir: string;
  /** n8n's own database (DB_TYPE=postgresdb). */
  database: { host: string; port: number; name: string; user: string };
  redis: { host: string; port: number };
  encryptionKey: string;
}

/**
 * The environment of one n8n process in queue mode: n8n's database on PostgreSQL, the job queue on Redis, one
 * encryption key for all. This is what docs/postgresql.md documents for each process.
 */
export function queueEnv(settings: QueueSettings, userFolder: string, port: number): NodeJS.ProcessEnv {
  return {
    ...n8nEnv(userFolder, port),
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: settings.database.host,
    DB_POSTGRESDB_PORT: String(settings.database.port),
    DB_POSTGRESDB_DATABASE: settings.database.name,
    DB_POSTGRESDB_USER: settings.database.user,
    DB_POSTGRESDB_POOL_SIZE: '4',
    EXECUTIONS_MODE: 'queue',
    QUEUE_BULL_REDIS_HOST: settings.redis.host,
    QUEUE_BULL_REDIS_PORT: String(settings.redis.port),
    QUEUE_HEALTH_CHECK_ACTIVE: 'true',
    QUEUE_HEALTH_CHECK_PORT: String(port),
    N8N_ENCRYPTION_KEY: settings.encryptionKey,
    // Thousands of executions: keep the failed ones only.
    EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
    EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
    N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
    N8N_LOG_LEVEL: 'warn',
  };
}

/** One n8n process of the cluster (`n8n start`, `n8n webhook` or `n8n worker`), with its own user folder. */
export class N8nProcess {
  private child: ChildProcess | undefined;
  private output = '';
  kills = 0;

  constructor(
    readonly role: N8nRole,
    readonly name: string,
    private readonly settings: QueueSettings,
    readonly userFolder: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get env(): NodeJS.ProcessEnv {
    return queueEnv(this.settings, this.userFolder, this.port);
  }

  private get bin(): string {
    return join(this.settings.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
  }

  /** Its user folder, with the package installed as n8n's community-nodes installer leaves it. */
  async prepare(): Promise<void> {
    await mkdir(this.userFolder, { recursive: true });
    await cp(this.settings.packageDir, join(this.userFolder, '.n8n', 'nodes', 'node_modules', ...PACKAGE_NAME.split('/')), { recursive: true });
  }

  async cli(...args: string[]): Promise<string> {
    const { stdout, stderr } = await run(process.execPath, [this.bin, ...args], { env: this.env, maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  }

  start(): void {
    const args = this.role === 'main' ? ['start'] : this.role === 'webhook' ? ['webhook'] : ['worker', '--concurrency=8'];
    const child = spawn(process.execPath, [this.bin, ...args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-200_000));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.child = child;
    // A test worker that dies without its afterAll must not leave n8n running.
    const orphaned = () => child.kill('SIGKILL');
    process.once('exit', orphaned);
    child.once('exit', () => process.off('exit', orphaned));
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Until `/healthz/readiness` answers 200 (workers serve it too, with QUEUE_HEALTH_CHECK_ACTIVE). `/healthz`
   * answers as soon as the port is open, before the webhook routes are mounted: a process it calls healthy
   * answers production webhooks 404 ("Cannot POST") or 200 ("n8n is starting up") for a while.
   */
  async healthy(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited during start-up:\n${this.log()}`);
      const ok = await fetch(`${this.url}/healthz/readiness`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not healthy after ${timeoutMs / 1000} s:\n${this.log()}`);
      await sleep(500);
    }
  }

  /** Until a production webhook path answers something other than 404 (the workflow is active in this process). */
  async serves(path: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await fetch(`${this.url}${path}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).then(
        async (response) => ((await response.text()).startsWith('n8n is starting up') ? 0 : response.status),
        () => 0,
      );
      if (status !== 0 && status !== 404 && status !== 503) return;
      if (Date.now() > deadline) throw new Error(`${this.name} does not serve ${path}:\n${this.log()}`);
      await sleep(500);
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  /** The process's recent output, each run of identical lines shown once with its count. */
  log(): string {
    const lines: string[] = [];
    let repeats = 0;
    for (const line of this.output.split('\n')) {
      if (line === lines.at(-1)) repeats++;
      else {
        if (repeats > 0) lines.push(`  (the line above ${repeats} more times)`);
        repeats = 0;
        lines.push(line);
      }
    }
    if (repeats > 0) lines.push(`  (the line above ${repeats} more times)`);
    return lines.join('\n');
  }
}

/**
 * n8n in queue mode: one main (activates the workflows, runs the Delivery Worker Trigger), one webhook process
 * (answers the production webhooks, queues executions on Redis) and two workers (run the executions).
 */
export class N8nQueueCluster {
  readonly main: N8nProcess;
  readonly webhook: N8nProcess;
  readonly workers: N8nProcess[];
  private root = '';

  private constructor(settings: QueueSettings, root: string, ports: number[]) {
    this.root = root;
    this.main = new N8nProcess('main', 'n8n main', settings, join(root, 'main'), ports[0]!);
    this.webhook = new N8nProcess('webhook', 'n8n webhook', settings, join(root, 'webhook'), ports[1]!);
    this.workers = [2, 3].map((n, index) => new N8nProcess('worker', `n8n worker ${index + 1}`, settings, join(root, `worker-${index + 1}`), ports[n]!));
  }

  /** Ports: main, webhook, worker 1, worker 2, each with its runner broker on the next port. */
  static async create(settings: QueueSettings, basePort: number): Promise<N8nQueueCluster> {
    const root = await mkdtemp(join(tmpdir(), 'scale-n8n-'));
    const cluster = new N8nQueueCluster(settings, root, [0, 2, 4, 6].map((offset) => basePort + offset));
    await Promise.all(cluster.all.map((process) => process.prepare()));
    return cluster;
  }

  get all(): N8nProcess[] {
    return [this.main, this.webhook, ...this.workers];
  }

  /** Imports credentials and workflows through the main's CLI (into n8n's PostgreSQL database) and publishes them. */
  async importWorkflows(credentials: object[], workflows: Array<{ id: string }>): Promise<void> {
    const dir = join(this.root, 'import');
    await mkdir(join(dir, 'workflows'), { recursive: true });
    await writeFile(join(dir, 'credentials.json'), JSON.stringify(credentials));
    for (const workflow of workflows) await writeFile(join(dir, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow));
    await this.main.cli('import:credentials', `--input=${join(dir, 'credentials.json')}`);
    await this.main.cli('import:workflow', '--separate', `--input=${join(dir, 'workflows')}`);
    for (const workflow of workflows) await this.main.cli('publish:workflow', `--id=${workflow.id}`);
  }

  async start(webhookPaths: string[]): Promise<void> {
    this.main.start();
    await this.main.healthy();
    for (const process of [this.webhook, ...this.workers]) process.start();
    await Promise.all([this.webhook, ...this.workers].map((process) => process.healthy()));
    for (const path of webhookPaths) await this.webhook.serves(path);
  }

  logs(): string {
    return this.all.map((process) => `──── ${process.name} ────\n${process.log().slice(-6_000)}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.webhook, ...this.workers].map((process) => process.stop()));
    await this.main.stop();
    if (this.root && process.env.E2E_KEEP !== '1') await rm(this.root, { recursive: true, force: true });
  }
}

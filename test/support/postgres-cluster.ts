import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL server for one test file: `initdb` into a temporary directory, `postgres` listening
 * on a unix socket in that directory and on a free 127.0.0.1 port, durability switched off for speed, and
 * everything removed afterwards. PostgreSQL refuses to run as root, so under root (CI) the server runs as an
 * unprivileged account that already exists (`postgres`, else `nobody`).
 */

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** Where to find the server, or why the PostgreSQL suites are skipped. Throws when CI=true and there is none. */
export function postgresSupport(): { binaries?: PostgresBinaries; skipReason?: string } {
  const binaries = findPostgresBinaries();
  if (binaries) return { binaries };
  const skipReason = `PostgreSQL binaries (initdb, postgres) not found in $PG_BIN_DIR, on PATH or in /usr/lib/postgresql/*/bin`;
  if (process.env.CI === 'true') throw new Error(`${skipReason}; CI must run the PostgreSQL suites (install the postgresql package)`);
  console.warn(`Skipping the PostgreSQL suites: ${skipReason}`);
  return { skipReason };
}

export function findPostgresBinaries(): PostgresBinaries | undefined {
  for (const dir of candidateBinDirs()) {
    const initdb = join(dir, 'initdb');
    const postgres = join(dir, 'postgres');
    if (existsSync(initdb) && existsSync(postgres)) return { initdb, postgres };
  }
  return undefined;
}

/** Debian keeps the server binaries off PATH, in one directory per major version; the newest wins. */
function candidateBinDirs(): string[] {
  const versioned = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+(\.\d+)?$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [process.env.PG_BIN_DIR ?? '', ...onPath, ...versioned, '/usr/local/pgsql/bin'].filter(Boolean);
}

interface RunAs {
  uid: number;
  gid: number;
}

/** The account to drop to when running as root. */
function unprivilegedAccount(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const accounts = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4);
  for (const name of ['postgres', 'nobody']) {
    const fields = accounts.find((entry) => entry[0] === name);
    if (fields) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody account exists to run PostgreSQL as');
}

const SUPERUSER = 'postgres';

export class PostgresCluster {
  private server: ChildProcess | undefined;
  private databaseCount = 0;
  private schemaCount = 0;
  private schemaDatabase: Promise<string> | undefined;
  /** A worker that exits without running afterAll must not leave a server or its files behind. */
  private readonly cleanUpOnExit = () => {
    this.server?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  };

  private constructor(
    private readonly binaries: PostgresBinaries,
    /** Holds the data directory, the unix socket and the server log. */
    readonly dir: string,
    private readonly runAs: RunAs | undefined,
    private port = 0,
  ) {}

  static async start(binaries: PostgresBinaries): Promise<PostgresCluster> {
    const runAs = unprivilegedAccount();
    // Under /tmp rather than $TMPDIR: a unix socket path must stay short, and the unprivileged account must reach it.
    const dir = mkdtempSync(join(process.platform === 'win32' ? process.env.TEMP ?? '.' : '/tmp', 'intake-pg-'));
    const cluster = new PostgresCluster(binaries, dir, runAs);
    process.on('exit', cluster.cleanUpOnExit);
    try {
      if (runAs) chownSync(dir, runAs.uid, runAs.gid);
      await cluster.initdb();
      await cluster.startServer();
      return cluster;
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Over TCP on 127.0.0.1; trust authentication, so no password. */
  connectionString(database = 'postgres'): string {
    return `postgresql://${SUPERUSER}@127.0.0.1:${this.port}/${database}`;
  }

  /** The same database reached through the unix socket. */
  socketConnectionString(database = 'postgres'): string {
    return `postgresql://${SUPERUSER}@/${database}?host=${encodeURIComponent(this.dir)}&port=${this.port}`;
  }

  /** A new empty database; returns its connection string. */
  async createDatabase(): Promise<string> {
    const name = `test_${++this.databaseCount}_${randomBytes(4).toString('hex')}`;
    await this.admin(`CREATE DATABASE ${name} TEMPLATE template0`);
    return this.connectionString(name);
  }

  /**
   * A new empty schema in one shared database, reached through `search_path`; returns its connection string.
   * Much cheaper than a database, so suites that open a fresh store per test use this.
   */
  async createSchema(): Promise<string> {
    this.schemaDatabase ??= this.createDatabase().then((url) => url.slice(url.lastIndexOf('/') + 1));
    const database = await this.schemaDatabase;
    const name = `test_${++this.schemaCount}_${randomBytes(4).toString('hex')}`;
    await this.admin(`CREATE SCHEMA ${name}`, database);
    return `${this.connectionString(database)}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
  }

  /** Runs one statement as the superuser, on the maintenance database unless told otherwise. */
  async admin(sql: string, database = 'postgres'): Promise<void> {
    const client = new Client({ connectionString: this.connectionString(database) });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  /** Shuts the server down (fast mode: open sessions are disconnected); the data stays for {@link startServer}. */
  async stopServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');
    const outcome = await Promise.race([exited, sleep(10_000, 'timeout')]);
    if (outcome === 'timeout') {
      server.kill('SIGKILL');
      await exited;
    }
  }

  /** Starts the server on the existing data directory (again), on the port it had if it already had one. */
  async startServer(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (!this.port || attempt > 1) this.port = await freeLoopbackPort();
      try {
        await this.launch();
        return;
      } catch (error) {
        await this.stopServer();
        if (attempt >= 3) throw error;
      }
    }
  }

  async destroy(): Promise<void> {
    await this.stopServer();
    rmSync(this.dir, { recursive: true, force: true });
    process.off('exit', this.cleanUpOnExit);
  }

  private async initdb(): Promise<void> {
    const args = ['-D', this.dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'];
    await new Promise<void>((resolve, reject) => {
      const child = this.spawnAsServerUser(this.binaries.initdb, args);
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited with ${code}:\n${this.log()}`))));
    });
  }

  private async launch(): Promise<void> {
    const settings = {
      listen_addresses: '127.0.0.1',
      port: String(this.port),
      unix_socket_directories: this.dir,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '200',
      deadlock_timeout: '100ms',
      shared_buffers: '32MB',
    };
    const args = ['-D', this.dataDir, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
    const server = this.spawnAsServerUser(this.binaries.postgres, args);
    this.server = server;
    await this.waitUntilAccepting(server);
  }

  private async waitUntilAccepting(server: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode} during start-up:\n${this.log()}`);
      const client = new Client({ connectionString: this.connectionString(), connectionTimeoutMillis: 1_000 });
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
        await sleep(25);
      }
    }
    throw new Error(`postgres did not accept connections within 30 s:\n${this.log()}`);
  }

  /** Output goes to a log file in the cluster directory, shown when start-up fails. */
  private spawnAsServerUser(command: string, args: string[]): ChildProcess {
    const logFd = openSync(join(this.dir, 'server.log'), 'a');
    try {
      return spawn(command, args, {
        cwd: this.dir,
        stdio: ['ignore', logFd, logFd],
        env: { PATH: process.env.PATH ?? '', LANG: 'C', LC_ALL: 'C' },
        ...(this.runAs ?? {}),
      });
    } finally {
      closeSync(logFd);
    }
  }

  private log(): string {
    try {
      return readFileSync(join(this.dir, 'server.log'), 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no server log)';
    }
  }
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

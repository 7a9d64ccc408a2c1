import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where the Debian package puts it (`.ci/run` installs it when missing). */
export function findRedisServer(): string | undefined {
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
}

/**
 * A throwaway redis-server for n8n's queue: 127.0.0.1 on a free port, no persistence (a restart empties it, as
 * losing a Redis without persistence would), stopped and started again on the same port to make an outage.
 */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(binary: string): Promise<RedisServer> {
    const redis = new RedisServer(binary, await freePort(), mkdtempSync(join(tmpdir(), 'scale-redis-')));
    await redis.resume();
    return redis;
  }

  async resume(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--logfile', join(this.dir, 'redis.log')];
    const child = spawn(this.binary, args, { stdio: 'ignore' });
    this.child = child;
    const orphaned = () => child.kill('SIGKILL');
    process.once('exit', orphaned);
    child.once('exit', () => process.off('exit', orphaned));
    const deadline = Date.now() + 20_000;
    while (!(await answersPing(this.port))) {
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${this.log()}`);
      await sleep(50);
    }
  }

  /** Stops the server (SIGTERM, as a service stop would); n8n's connections drop. */
  async halt(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private log(): string {
    try {
      return readFileSync(join(this.dir, 'redis.log'), 'utf8').slice(-2_000);
    } catch {
      return '(no log)';
    }
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from './build';

export interface WorkerMessage {
  type: 'started' | 'result' | 'error' | 'fatal';
  [key: string]: unknown;
}

/** A worker process running the compiled build (test/delivery/support/worker-process.js). */
export class ChildWorker {
  readonly messages: WorkerMessage[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.messages.push(JSON.parse(line) as WorkerMessage);
      } catch {
        // not one of ours
      }
    });
    child.stderr!.on('data', () => undefined);
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static spawn(env: Record<string, string>): ChildWorker {
    const script = join(PROJECT_ROOT, 'test', 'delivery', 'support', 'worker-process.js');
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, NODE_PATH: join(PROJECT_ROOT, 'node_modules'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ChildWorker(child);
  }

  results(): WorkerMessage[] {
    return this.messages.filter((message) => message.type === 'result');
  }

  /** SIGKILL: no chance to finish or record anything. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the worker stops gracefully. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}

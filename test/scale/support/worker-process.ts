import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../delivery/support/build';
import { eventually } from '../../delivery/support/fake-clock';

export interface WorkerMessage {
  type: 'started' | 'promoted' | 'conflict' | 'enqueued' | 'swept' | 'result' | 'error' | 'fatal';
  [key: string]: unknown;
}

/** One process running test/scale/support/scale-worker.js from the compiled build. */
export class ScaleWorker {
  readonly messages: WorkerMessage[] = [];
  private readonly exited: Promise<number | null>;
  private stderr = '';

  private constructor(
    readonly id: string,
    private readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.messages.push(JSON.parse(line) as WorkerMessage);
      } catch {
        // not one of ours
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4_000)));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static spawn(id: string, env: Record<string, string>): ScaleWorker {
    const script = join(PROJECT_ROOT, 'test', 'scale', 'support', 'scale-worker.js');
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, NODE_PATH: join(PROJECT_ROOT, 'node_modules'), WORKER_ID: id, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ScaleWorker(id, child);
  }

  /** The intake URL, once the worker listens. */
  async started(timeoutMs = 30_000): Promise<string> {
    await eventually(() => this.messages.some((message) => message.type === 'started' || message.type === 'fatal') || this.child.exitCode !== null, timeoutMs);
    const started = this.messages.find((message) => message.type === 'started');
    if (!started) throw new Error(`worker ${this.id} did not start: ${JSON.stringify(this.messages.at(-1))}\n${this.stderr}`);
    return String(started.url);
  }

  of(type: WorkerMessage['type']): WorkerMessage[] {
    return this.messages.filter((message) => message.type === type);
  }

  /** SIGKILL: no chance to finish anything. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: stops gracefully; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    return this.exited;
  }
}

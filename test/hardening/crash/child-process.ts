import { spawn, type ChildProcess } from 'node:child_process';

/** A child host that announces itself with one JSON line on stdout, and can be killed without warning. */
export interface Child {
  process: ChildProcess;
  /** The first JSON line the child printed. */
  ready: Promise<Record<string, unknown>>;
  lines: Array<Record<string, unknown>>;
  stderr(): string;
  kill(): Promise<void>;
  /** Asks for a clean stop (SIGTERM) and waits; returns the exit code. */
  stop(): Promise<number | null>;
}

export function startChild(script: string, env: Record<string, string>, readyTimeoutMs = 20_000): Child {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  let buffered = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start in ${readyTimeoutMs} ms: ${stderr}`)), readyTimeoutMs);
    child.stdout!.on('data', (chunk) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          continue;
        }
        clearTimeout(timer);
        resolve(lines[0]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`child exited before it was ready: ${stderr}`));
    });
  });
  ready.catch(() => undefined);
  return {
    process: child,
    ready,
    lines,
    stderr: () => stderr,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      return child.exitCode;
    },
  };
}

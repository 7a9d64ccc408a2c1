import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm start` (scripts/demo/start.js) on a free port with its own data folder, as the quick start runs it. */
export interface DemoInfrastructure {
  url: string;
  storePath: string;
  /** The secrets from the `export …` line it printed. */
  env: Record<string, string>;
  output(): string;
  stop(): Promise<void>;
}

function parse(output: string): { url: string; storePath: string; env: Record<string, string> } | undefined {
  const url = /Node-RED editor:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
  const storePath = /Store:\s+(\S+)/.exec(output)?.[1];
  const exportLine = /^\s*export (.+)$/m.exec(output)?.[1];
  if (!url || !storePath || !exportLine || !output.includes('Press Ctrl-C to stop.')) return undefined;
  const env = Object.fromEntries([...exportLine.matchAll(/(\w+)='([^']*)'/g)].map((match) => [match[1]!, match[2]!]));
  return { url, storePath, env };
}

export async function startDemo(repo: string, env: NodeJS.ProcessEnv): Promise<DemoInfrastructure> {
  const data = mkdtempSync(join(tmpdir(), 'docs-demo-'));
  const child: ChildProcess = spawn(process.execPath, [join(repo, 'scripts/demo/start.js'), '--port', '0', '--data', data], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  let parsed = parse(output);
  while (!parsed) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    parsed = parse(output);
  }
  return {
    ...parsed,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}

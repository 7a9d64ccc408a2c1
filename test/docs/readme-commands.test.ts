import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from './markdown-blocks';

/**
 * The README's two commands, as written, on a fresh clone of this repository: `npm install && npm start`
 * (checked through `npm start -- --once`, which runs the whole path and exits, and through plain
 * `npm start`, which must boot and stop cleanly on Ctrl-C) and `npm install && npm test`, which is what CI
 * runs (.ci/run), so here only that CI calls exactly it. npm uses its cache first; when the registry cannot
 * be reached for what the cache lacks, the test is skipped with that reason.
 */
const REPO = join(__dirname, '../..');
const run = promisify(execFile);
const [quickCommands] = codeBlocks(REPO, 'README.md').filter((block) => block.lang === 'bash');
const readmeCommands = quickCommands!.content
  .split('\n')
  .map((line) => line.replace(/#.*$/, '').trim())
  .filter(Boolean);

const clone = mkdtempSync(join(tmpdir(), 'readme-clone-'));
let installFailure: string | undefined;

/** A shell as a user has it: no npm lifecycle or test-runner variables; npm prefers its cache. */
function userEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|VITEST|NODE_ENV$|NODE_OPTIONS$)/i.test(name)));
  return { ...env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

function sh(command: string, options: { timeoutMs: number }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd: clone, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Signals a process group; one that has already gone is fine. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network request .* failed|request to https?:\/\/\S+ failed/i;

beforeAll(async () => {
  await run('git', ['clone', '--quiet', REPO, clone]);
  const install = await sh('npm install', { timeoutMs: 900_000 });
  if (install.code !== 0) {
    installFailure = OFFLINE.test(install.output) ? `npm install could not reach the registry: ${OFFLINE.exec(install.output)![0]}` : undefined;
    if (!installFailure) throw new Error(`npm install failed on a fresh clone:\n${install.output.slice(-4000)}`);
  }
}, 960_000);

afterAll(() => rmSync(clone, { recursive: true, force: true }), 300_000); // a fresh install is large: removing it takes a while on a busy machine

describe("the README's two commands on a fresh clone", () => {
  it('are exactly `npm install && npm start` and `npm install && npm test`', () => {
    expect(readmeCommands).toEqual(['npm install && npm start', 'npm install && npm test']);
  });

  it('CI runs exactly the README test command', () => {
    const lines = readFileSync(join(REPO, '.ci/run'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    expect(lines).toContain(readmeCommands[1]);
  });

  it('npm start -- --once runs signed events through review, promotion and delivery with retry, and exits 0', async (context) => {
    if (installFailure) context.skip(installFailure);
    const once = await sh('npm start -- --once', { timeoutMs: 300_000 });
    expect(once.code, once.output.slice(-4000)).toBe(0);
    expect(once.output).toMatch(/Node-RED editor:\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(once.output).toContain('npm run -s incident-intake -- send --url');
    expect(once.output).toMatch(/approve evt_\w+ → 200/);
    expect(once.output).toContain('Every sample reached its destination (after one simulated outage each)');
  }, 330_000);

  it('npm start boots, prints the editor URL, intake URLs and send commands, and stops on Ctrl-C', async (context) => {
    if (installFailure) context.skip(installFailure);
    // its own process group, as a terminal's foreground job: Ctrl-C sends SIGINT to the whole group
    const child = spawn('bash', ['-c', 'npm start'], { cwd: clone, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 240_000;
      while (!output.includes('Press Ctrl-C to stop.')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const url = /Node-RED editor:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!;
      expect(output).toMatch(/Intake URLs:\s+http:\/\/127\.0\.0\.1:\d+\/intake\/jira-prod/);
      expect(output.match(/npm run -s incident-intake -- send --url/g)).toHaveLength(3);
      expect((await fetch(`${url}/settings`)).status).toBe(200);
      killGroup(child.pid!, 'SIGINT');
      const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
      expect(stopped, output.slice(-2000)).not.toBe('still running');
      expect(output).toContain('Stopped.');
      await expect(fetch(`${url}/settings`)).rejects.toThrow();
    } finally {
      killGroup(child.pid!, 'SIGKILL');
    }
  }, 300_000);
});

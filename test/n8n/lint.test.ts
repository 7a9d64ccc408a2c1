import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

// The plugin treats every file as `Test.node.ts` when NODE_ENV is `test`, which vitest sets.
const lintEnv = { ...process.env, NODE_ENV: 'production' };

interface LintResult {
  filePath: string;
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
  messages: { ruleId: string | null; message: string; line: number }[];
}

/** Runs eslint with the JSON formatter; exit code 1 only means "problems found", anything else is a broken run. */
function lint(args: string[], stdin?: string): Promise<LintResult[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [eslint, '--format', 'json', ...args], { cwd: root, env: lintEnv, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: number }).code : 0;
      if (code !== 0 && code !== 1) return reject(new Error(`eslint did not run (exit ${String(code)}): ${stderr}`));
      try {
        resolve(JSON.parse(stdout) as LintResult[]);
      } catch {
        reject(new Error(`eslint printed no JSON: ${stdout.slice(0, 500)} ${stderr}`));
      }
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

const problemsOf = (results: LintResult[]) =>
  results.flatMap((result) => result.messages.map((message) => `${result.filePath}:${message.line} ${message.ruleId ?? 'fatal'} ${message.message}`));

describe('n8n node descriptions', () => {
  it('pass eslint-plugin-n8n-nodes-base', async () => {
    const results = await lint(['nodes', 'credentials', 'package.json']);
    const files = results.map((result) => result.filePath);
    expect(files.some((file) => file.endsWith('.node.ts'))).toBe(true);
    expect(files.some((file) => file.endsWith('.credentials.ts'))).toBe(true);
    expect(files.some((file) => file.endsWith('package.json'))).toBe(true);
    expect(problemsOf(results)).toEqual([]);
  }, 120_000);

  it('applies the n8n rules to node files (the check above can fail)', async () => {
    const badNode =
      "export const description = { displayName: 'Probe', name: 'probe', group: ['transform'], version: 1, description: 'x', defaults: { name: 'Probe' }, inputs: ['main'], outputs: ['main'], properties: [{ displayName: 'lower case name', name: 'lowerCaseName', type: 'string', default: '' }] };\n";
    const results = await lint(['--stdin', '--stdin-filename', 'nodes/Probe/Probe.node.ts'], badNode);
    expect(problemsOf(results).some((problem) => problem.includes('n8n-nodes-base/node-param-display-name-miscased'))).toBe(true);
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

describe('n8n node descriptions', () => {
  it('pass eslint-plugin-n8n-nodes-base', async () => {
    const run = promisify(execFile)(process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'unix', 'nodes', 'credentials', 'package.json'], { cwd: root });
    const output = await run.then(
      ({ stdout }) => stdout,
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(output.trim()).toBe('');
  }, 60_000);
});

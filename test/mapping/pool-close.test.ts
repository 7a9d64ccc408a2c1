import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(__dirname, '..', '..');

// Idle mapping workers are unref'd so that they never keep a host alive. Closing the pool waits for them to
// exit, and that wait must hold the process open: otherwise, in a process with nothing else to do (a CLI, a
// script), `await pool.close()` never settles and the code after it silently never runs.
describe('MappingWorkerPool.close', () => {
  it('settles in a process that has nothing else keeping it alive', () => {
    const script = `
      const { MappingWorkerPool } = require(${JSON.stringify(join(REPO, 'dist/core/mapping'))});
      (async () => {
        const pool = new MappingWorkerPool({ size: 1 });
        const plan = { expression: '{"title": title}', fieldOverrides: {}, customFields: {}, timeoutMs: 1000 };
        const result = await pool.run(plan, { title: 'x' }, { provider: 'generic', timezone: 'UTC', receivedAt: new Date().toISOString() }, 1000);
        if (!result.ok) throw new Error(result.reason.message);
        await pool.close();
        console.log('closed');
      })();`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(output.trim()).toBe('closed');
  });
});

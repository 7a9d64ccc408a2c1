import { defineConfig } from 'vitest/config';

// The bad-request catalogue against a real n8n: one n8n for the file, run by test/hardening/n8n/run.sh.
export default defineConfig({
  test: {
    include: ['test/hardening/n8n/**/*.e2e.ts'],
    root: new URL('../../..', import.meta.url).pathname,
    testTimeout: 60_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

// The real-n8n end-to-end suite: one n8n for the whole file, run by `npm run test:n8n`.
export default defineConfig({
  test: {
    include: ['test/n8n/e2e/**/*.e2e.ts'],
    root: new URL('../../..', import.meta.url).pathname,
    testTimeout: 60_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

// npm run test:scale: the real engines (n8n in queue mode, several Node-RED) scaled out on one PostgreSQL.
// The two files run side by side: the Node-RED cluster's traffic takes some 20 s, and most of its run is the wait
// for incident.io's 120/min pacing, which overlaps with n8n's start and traffic instead of adding to them.
export default defineConfig({
  test: {
    include: ['test/scale/engines/**/*.scale.ts'],
    root: new URL('../../..', import.meta.url).pathname,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
    alias: [{ find: /^n8n-workflow$/, replacement: 'n8n-workflow/dist/cjs/index.js' }],
  },
});

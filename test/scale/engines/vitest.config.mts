import { defineConfig } from 'vitest/config';

// npm run test:scale: the real engines (n8n in queue mode, several Node-RED) scaled out on one PostgreSQL.
// The files run one after the other: each starts a whole cluster, and two at once would only slow both.
export default defineConfig({
  test: {
    include: ['test/scale/engines/**/*.scale.ts'],
    root: new URL('../../..', import.meta.url).pathname,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
    alias: [{ find: /^n8n-workflow$/, replacement: 'n8n-workflow/dist/cjs/index.js' }],
  },
});

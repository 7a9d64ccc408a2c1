import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Environment variable the pool sets so the worker module only starts serving inside a worker. */
export const WORKER_MARKER = 'INCIDENT_INTAKE_MAPPING_WORKER';

/**
 * Where the worker's code lives: the compiled `mapping-worker.js` next to this file in `dist/`, or the
 * `.ts` source when running from source under vitest, where Node strips the types itself.
 */
export function mappingWorkerEntry(): string {
  const compiled = join(__dirname, 'mapping-worker.js');
  return existsSync(compiled) ? compiled : join(__dirname, 'mapping-worker.ts');
}

/**
 * Worker bootstrap, run with `node -e` and the entry as its argument. From source, relative imports are
 * written without extensions (as tsc wants), so a resolve hook retries them with `.ts`; the compiled build
 * needs nothing extra.
 */
export const WORKER_BOOTSTRAP = `
const entry = process.argv[1];
if (entry.endsWith('.ts')) {
  require('node:module').registerHooks({
    resolve(specifier, context, next) {
      try {
        return next(specifier, context);
      } catch (error) {
        if (/^\\.\\.?\\//.test(specifier) && !/\\.[cm]?[jt]s$/.test(specifier)) return next(specifier + '.ts', context);
        throw error;
      }
    },
  });
}
require(entry);
`;

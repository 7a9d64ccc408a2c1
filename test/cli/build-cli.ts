import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = resolve(__dirname, '../..');

export interface BuiltCli {
  main: string;
  /** Environment for running it: compiled outside the repo, it finds the repo's node_modules through NODE_PATH. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

/**
 * Compiles the CLI with the project's tsconfig into a private folder, so that these tests neither race
 * with a build writing dist/ nor depend on unrelated files elsewhere in the tree compiling.
 */
export async function buildCli(): Promise<BuiltCli> {
  const outDir = await mkdtemp(join(tmpdir(), 'incident-intake-cli-'));
  const tsconfig = join(outDir, 'tsconfig.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: join(REPO, 'tsconfig.json'),
      compilerOptions: { rootDir: REPO, outDir, typeRoots: [join(REPO, 'node_modules/@types')], declaration: false, sourceMap: false },
      files: [join(REPO, 'cli/main.ts')],
      include: [],
    }),
  );
  await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { cwd: REPO });
  return {
    main: join(outDir, 'cli/main.js'),
    env: { ...process.env, NODE_PATH: join(REPO, 'node_modules') },
    cleanup: () => rm(outDir, { recursive: true, force: true }),
  };
}

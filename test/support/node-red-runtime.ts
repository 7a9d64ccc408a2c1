import { mkdtempSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The process management is shared with `npm start` (scripts/demo), which is plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shared = require('../../scripts/demo/node-red-process.js') as {
  REPO: string;
  startNodeRed(options: { userDir: string; env?: Record<string, string>; linkPackage?: boolean; adminAuth?: AdminAuth; nodeRedHome?: string }): Promise<NodeRedProcess>;
  freePort(preferred?: number): Promise<number>;
  waitFor(check: () => Promise<boolean>, timeoutMs: number, describe?: () => string): Promise<void>;
};

export type AdminAuth =
  | {
      username: string;
      /** bcrypt hash, as Node-RED's settings expect. */
      passwordHash: string;
    }
  | { users: Array<{ username: string; passwordHash: string; permissions?: string | string[] }> };

export const REPO = shared.REPO;
export const freePort = shared.freePort;
export const waitFor = shared.waitFor;

export interface NodeRedProcess {
  url: string;
  userDir: string;
  child: ChildProcess;
  /** Everything the runtime printed so far. */
  log(): string;
  deploy(flows: object[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Node-RED in a child process with the built package linked into a fresh user directory (needs
 * `npm run build`); the directory is removed on stop unless the caller gave one.
 */
export async function startNodeRed(
  options: { userDir?: string; linkPackage?: boolean; env?: Record<string, string>; adminAuth?: AdminAuth; nodeRedHome?: string } = {},
): Promise<NodeRedProcess> {
  const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'node-red-e2e-'));
  const runtime = await shared.startNodeRed({ userDir, env: options.env, linkPackage: options.linkPackage, adminAuth: options.adminAuth, nodeRedHome: options.nodeRedHome });
  return {
    ...runtime,
    async stop() {
      await runtime.stop();
      if (!options.userDir) rmSync(userDir, { recursive: true, force: true });
    },
  };
}

import { join } from 'node:path';
import { postgresUrlSetting } from '../../core/store/open-store';
import type { Store } from '../../core/store/store';
import type { Node, NodeDef } from './node-red-types';

export interface IntakeStoreDef extends NodeDef {
  sqlitePath?: string;
  /** Days of disposable events the daily cleanup keeps; empty: the default (30), 0: no scheduled cleanup. */
  retentionDays?: string;
}

export interface IntakeStoreCredentials {
  postgresUrl?: string;
}

export interface IntakeStoreNode extends Node<IntakeStoreCredentials> {
  /** The opened store; every user of this config node shares one. */
  store(): Promise<Store>;
  /** What the editor and the console call it: its name, its SQLite file or "PostgreSQL" (never the URL). */
  label: string;
  /** Text with this store's secrets (its PostgreSQL URL and password) taken out, for logs, status and messages. */
  redact(text: string): string;
}

export const DEFAULT_FILE = 'incident-intake.sqlite';

/**
 * Which store a config names: PostgreSQL when a URL is given, else a SQLite file (default in the user directory).
 * A PostgreSQL URL that is no URL is refused ({@link postgresUrlSetting}).
 */
export function storeLocation(def: IntakeStoreDef, credentials: IntakeStoreCredentials | undefined, userDir: string): string {
  const postgresUrl = credentials?.postgresUrl?.trim();
  if (postgresUrl) return postgresUrlSetting(postgresUrl, 'the PostgreSQL URL');
  const path = def.sqlitePath?.trim();
  if (!path) return join(userDir, DEFAULT_FILE);
  return path === ':memory:' || path.startsWith('/') ? path : join(userDir, path);
}


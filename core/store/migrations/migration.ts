import type { Dialect } from '../sql-client';

/** One versioned schema step. `up` returns the DDL for the engine; it runs once, inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  up(dialect: Dialect): string;
}

/** Column types that differ between the engines. */
export function columnTypes(dialect: Dialect) {
  return {
    blob: dialect === 'sqlite' ? 'BLOB' : 'BYTEA',
    serialKey: dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY',
  };
}

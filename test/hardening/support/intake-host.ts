import type { HostKind } from '../catalogue/case';
import type { SourceKey } from '../catalogue/sources';

/** A real host process running the intake, as the catalogue sees it. */
export interface IntakeHost {
  kind: HostKind;
  port: number;
  /** Process id of the host (the process whose event loop is watched). */
  pid: number;
  /** The SQLite file the host's intake store writes. */
  storePath: string;
  /** Where the host's drift monitor writes its windows. */
  driftFile: string;
  path(source: SourceKey): string;
  /** The process is running and still answers its own health/admin endpoint. */
  isAlive(): Promise<boolean>;
  /** Everything the host printed so far. */
  log(): string;
  stop(): Promise<void>;
}

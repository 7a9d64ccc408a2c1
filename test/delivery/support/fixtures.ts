import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', '..', 'fixtures', 'incident-io');

/** A copied incident.io contract example (test/fixtures/incident-io). */
export function incidentIoFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(DIR, `incidentio.${name}.json`), 'utf8')) as T;
}

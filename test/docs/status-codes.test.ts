import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOME_STATUS } from '../../core/intake/outcome';

/** The outcome → status table of docs/status-codes.md against the code that answers senders. */
const REPO = join(__dirname, '../..');

function tableRows(file: string): Array<{ outcome: string; status: string }> {
  return readFileSync(join(REPO, file), 'utf8')
    .split('\n')
    .map((line) => /^\|\s*`(\w+)`\s*\|\s*([^|]+?)\s*\|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ outcome: match[1]!, status: match[2]! }));
}

describe('docs/status-codes.md', () => {
  const rows = tableRows('docs/status-codes.md');

  it('lists every outcome exactly once', () => {
    expect(rows.map((row) => row.outcome).sort()).toEqual(Object.keys(OUTCOME_STATUS).sort());
  });

  it('gives each outcome the status the intake answers with', () => {
    for (const { outcome, status } of rows) {
      // a duplicate repeats the first answer's status (OUTCOME_STATUS holds only its fallback)
      if (outcome === 'duplicate') expect(status).toBe("the first answer's status");
      else expect(Number(/^\d{3}/.exec(status)?.[0]), outcome).toBe(OUTCOME_STATUS[outcome as keyof typeof OUTCOME_STATUS]);
    }
  });

  it('agrees with the README table where both list an outcome', () => {
    const readme = new Map(tableRows('README.md').map((row) => [row.outcome, row.status]));
    for (const { outcome, status } of rows) {
      const inReadme = readme.get(outcome);
      if (inReadme === undefined || outcome === 'duplicate' || outcome.startsWith('test_')) continue;
      expect(inReadme.slice(0, 3), outcome).toBe(status.slice(0, 3));
    }
  });
});

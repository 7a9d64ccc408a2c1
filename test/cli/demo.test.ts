import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { command as demo } from '../../cli/commands/demo';
import { openSqliteStore } from '../../core/store';

const dir = mkdtempSync(join(tmpdir(), 'intake-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('incident-intake demo', () => {
  it('runs the whole intake → review → promote → update path on a SQLite file and says what happened', async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await demo.run(['--data', dir], { stdin: new PassThrough(), stdout: stdout.stream, stderr: stderr.stream, env: {} });
    expect(code).toBe(0);
    const text = stdout.text();
    expect(text).toMatch(/new incident \(Standard Webhooks\)\s+→ 202 accepted/);
    expect(text).toMatch(/the same delivery retried\s+→ 202 duplicate/);
    expect(text).toMatch(/wrong secret\s+→ 401 unauthorized/);
    expect(text).toMatch(/missing title and status\s+→ 202 quarantined/);
    expect(text).toMatch(/oversized body\s+→ 413 payload_too_large/);
    expect(text).toMatch(/resolved update\s+→ 202 accepted: accepted: 1 promoted/);
    expect(text).toMatch(/— resolved, critical, version 2/);
    expect(text).not.toMatch(/whsec_/);

    const store = await openSqliteStore(join(dir, 'demo.sqlite'));
    const incidents = await store.transaction((r) => r.incidents.list('demo', { view: 'recent' }));
    expect(incidents).toHaveLength(1);
    expect(await store.transaction((r) => r.events.countByState('demo'))).toEqual({ promoted: 2, quarantined: 1 });
    await store.close();
  });

  it('prints usage for --help', async () => {
    const stdout = capture();
    expect(await demo.run(['--help'], { stdin: new PassThrough(), stdout: stdout.stream, stderr: stdout.stream, env: {} })).toBe(0);
    expect(stdout.text()).toMatch(/Usage: incident-intake demo/);
  });
});

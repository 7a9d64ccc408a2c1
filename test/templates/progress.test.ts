import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../cli/progress';

function sink(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('CLI progress', () => {
  it('redraws a bar on a terminal', () => {
    const out = sink(true);
    const progress = createProgress(out.stream, 'replaying');
    progress.update(1, 4);
    progress.update(4, 4);
    progress.finish();
    expect(out.text()).toBe('\rreplaying: [######------------------] 1/4\rreplaying: [########################] 4/4\n');
  });

  it('writes a count line at most every two seconds elsewhere, and always the last count', () => {
    const out = sink(false);
    let now = 0;
    const progress = createProgress(out.stream, 'events removed', () => now);
    for (let done = 100; done <= 1000; done += 100) {
      progress.update(done);
      now += 500;
    }
    progress.finish();
    expect(out.text()).toBe('events removed: 100\nevents removed: 500\nevents removed: 900\nevents removed: 1000\n');
  });

  it('prints nothing when nothing happened', () => {
    const out = sink(false);
    createProgress(out.stream, 'x').finish();
    expect(out.text()).toBe('');
  });
});

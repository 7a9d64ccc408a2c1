import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescedStatus, type NodeStatus } from '../../node-red/shared/coalesced-status';

const text = (n: number): NodeStatus => ({ fill: 'green', shape: 'dot', text: `${n} received` });

describe('coalescedStatus', () => {
  let shown: string[];
  const node = { status: (status: unknown) => void shown.push((status as NodeStatus).text as string) };
  beforeEach(() => {
    shown = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('shows the first status at once and the latest of a burst when the quiet period ends', () => {
    const status = coalescedStatus(node, 250);
    for (let n = 1; n <= 100; n++) status.show(text(n));
    expect(shown).toEqual(['1 received']);
    vi.advanceTimersByTime(250);
    expect(shown).toEqual(['1 received', '100 received']);
    vi.advanceTimersByTime(1000);
    expect(shown).toEqual(['1 received', '100 received']);
  });

  it('shows a status at once again after a quiet period with nothing new', () => {
    const status = coalescedStatus(node, 250);
    status.show(text(1));
    vi.advanceTimersByTime(600);
    status.show(text(2));
    expect(shown).toEqual(['1 received', '2 received']);
  });

  it('drops a waiting status when stopped', () => {
    const status = coalescedStatus(node, 250);
    status.show(text(1));
    status.show(text(2));
    status.stop();
    vi.advanceTimersByTime(1000);
    expect(shown).toEqual(['1 received']);
  });
});

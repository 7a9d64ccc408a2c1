import type { Clock } from '../../../core/clock';
import type { Timers } from '../../../core/delivery';

/** Time that only moves when the test says so; the worker's poll timers fire as it passes their due time. */
export class FakeClock implements Clock, Timers {
  private current: number;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves time forward, firing each timer due on the way at its own time, earliest first. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.earliestDue(target); next; next = this.earliestDue(target)) {
      this.pending.delete(next.id);
      this.current = next.at;
      next.callback();
    }
    this.current = target;
  }

  /**
   * Like {@link advance}, but lets the worker's asynchronous tick run after each timer fires, so that a poll it
   * schedules on the way fires too (as it would in real time).
   */
  async advanceSettled(ms: number): Promise<void> {
    const target = this.current + ms;
    for (let next = this.earliestDue(target); next; next = this.earliestDue(target)) {
      this.pending.delete(next.id);
      this.current = next.at;
      next.callback();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    this.current = target;
  }

  private earliestDue(limit: number): { id: number; at: number; callback: () => void } | undefined {
    let earliest: { id: number; at: number; callback: () => void } | undefined;
    for (const [id, timer] of this.pending) {
      if (timer.at <= limit && (!earliest || timer.at < earliest.at)) earliest = { id, ...timer };
    }
    return earliest;
  }
}

/** Waits (in real time, briefly) until the condition holds; for the worker's own loop, which runs real I/O. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

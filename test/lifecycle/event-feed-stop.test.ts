import { describe, expect, it } from 'vitest';
import { startEventFeed } from '../../core/lifecycle/event-feed';
import { openSqliteStore, type Store } from '../../core/store';

/** A timer that never fires: the test runs each poll itself. */
const manualTimer = { set: () => 0, clear: () => undefined };

// A host stops the feed and closes the store at the same time (Node-RED closes every node of a flow at once).
describe('an event feed that stops', () => {
  it('reports a store error while it runs, and none from the poll in flight when it stops', async () => {
    const store = await openSqliteStore(':memory:');
    let release: (store: Store) => void = () => undefined;
    let gated = false;
    const errors: string[] = [];
    const feed = startEventFeed({
      store: () => (gated ? new Promise<Store>((resolve) => (release = resolve)) : Promise.resolve(store)),
      tenant: 'acme',
      consumer: 'flow-1',
      deliver: () => undefined,
      timer: manualTimer,
      scanner: false,
      onError: (error) => errors.push((error as Error).message),
    });
    await feed.pollNow();
    expect(errors).toEqual([]);

    gated = true;
    const inFlight = feed.pollNow();
    const stopping = feed.stop();
    await store.close();
    release(store);
    await Promise.all([inFlight, stopping]);
    expect(errors).toEqual([]);

    const running = startEventFeed({ store: async () => store, tenant: 'acme', consumer: 'flow-2', deliver: () => undefined, timer: manualTimer, scanner: false, onError: (error) => errors.push((error as Error).message) });
    await running.pollNow();
    await running.stop();
    expect(errors).toEqual([expect.stringMatching(/store is closed/)]);
  });
});

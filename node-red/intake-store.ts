import { openStore } from '../core/store/open-store';
import type { Store } from '../core/store/store';
import { storeLocation, type IntakeStoreDef, type IntakeStoreNode } from './shared/intake-store-settings';
import { finishClose, type NodeAPI } from './shared/node-red-types';

export = function registerIntakeStore(RED: NodeAPI): void {
  function IntakeStore(this: IntakeStoreNode, def: IntakeStoreDef) {
    RED.nodes.createNode(this, def);
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    let opened: Promise<Store> | undefined;
    this.store = () => {
      if (!opened) {
        const opening = openStore(storeLocation(def, this.credentials, userDir));
        // A store that could not be opened (database down at start-up) is tried again on the next use.
        opening.catch(() => {
          if (opened === opening) opened = undefined;
        });
        opened = opening;
      }
      return opened;
    };
    this.on('close', (_removed: boolean, done: () => void) => {
      const closing = opened ? opened.then((store) => store.close(), () => undefined) : Promise.resolve();
      opened = undefined;
      finishClose(this, closing, done);
    });
  }
  RED.nodes.registerType('intake-store', IntakeStore as never, { credentials: { postgresUrl: { type: 'password' } } });
};

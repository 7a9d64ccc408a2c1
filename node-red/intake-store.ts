import { redactText } from '../core/delivery/redact';
import { openStore } from '../core/store/open-store';
import { storeSecrets } from '../core/store/store-secrets';
import type { Store } from '../core/store/store';
import { DEFAULT_FILE, storeLocation, type IntakeStoreDef, type IntakeStoreNode } from './shared/intake-store-settings';
import { finishClose, type NodeAPI } from './shared/node-red-types';
import { closeConsoleOf, mountConsole } from './console/console-mount';
import { trackStoreNode } from './console/deployed-stores';
import { retentionDays, startStoreRetention } from '../core/retention/host-retention';
import type { ScheduledCleanup } from '../core/retention/scheduled-cleanup';
import { redacting } from './shared/store-error-text';

export = function registerIntakeStore(RED: NodeAPI): void {
  function IntakeStore(this: IntakeStoreNode, def: IntakeStoreDef) {
    RED.nodes.createNode(this, def);
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    const secrets = storeSecrets({ postgresUrl: this.credentials?.postgresUrl });
    this.redact = (text) => redactText(text, secrets);
    let opened: Promise<Store> | undefined;
    this.store = () => {
      if (!opened) {
        const opening = Promise.resolve().then(() => openStore(storeLocation(def, this.credentials, userDir)));
        // A store that could not be opened (database down at start-up) is tried again on the next use.
        opening.catch(() => {
          if (opened === opening) opened = undefined;
        });
        opened = opening;
      }
      return opened;
    };
    this.label = def.name?.trim() || def.sqlitePath?.trim() || (this.credentials?.postgresUrl?.trim() ? 'PostgreSQL' : DEFAULT_FILE);
    const untrack = trackStoreNode(this);
    let retention: ScheduledCleanup | undefined;
    try {
      retention = startStoreRetention(this.store, retentionDays(def.retentionDays), { info: (line) => this.log(this.redact(line)), warn: (line) => this.warn(this.redact(line)) });
    } catch (error) {
      this.error(`intake store: ${(error as Error).message}; no scheduled retention`);
    }
    this.on('close', (_removed: boolean, done: () => void) => {
      untrack();
      const wasOpened = opened;
      opened = undefined;
      // The console and the retention run go first: they may still be reading the store.
      const closing = Promise.all([closeConsoleOf(this), retention?.stop()])
        .catch(() => undefined)
        .then(() => (wasOpened ? wasOpened.then((store) => store.close(), () => undefined) : undefined));
      finishClose(this, redacting(closing, this), done);
    });
  }
  RED.nodes.registerType('intake-store', IntakeStore as never, { credentials: { postgresUrl: { type: 'password' } } });
  mountConsole(RED);
};

import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import type { DeliveryResult } from '../../core/delivery/delivery-result';
import { DestinationVaultError, type DestinationVault } from '../../core/delivery/destination-vault';
import { redactText } from '../../core/delivery/redact';
import { retentionDays, startStoreRetention } from '../../core/retention/host-retention';
import { storeCredentialTest } from '../shared/credential-tests';
import { startDelivering } from '../shared/delivery-hub';
import { nodeError } from '../shared/node-errors';
import { outboundHostPolicy } from '../shared/outbound-hosts';
import { outboxVault } from '../shared/outbox-vault';
import { acquireStore, type StoreLease } from '../shared/store-cache';
import { storeLocation, storeSecrets, type StoreCredential } from '../shared/store-location';

const EMIT: Record<string, (result: DeliveryResult) => boolean> = {
  final: (result) => result.final,
  failures: (result) => result.status === 'dead_letter',
  all: () => true,
};

function settingOf<T>(fn: ITriggerFunctions, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw nodeError(fn.getNode(), error, []);
  }
}

const vaultFor = (fn: ITriggerFunctions, credential: StoreCredential): DestinationVault | undefined => settingOf(fn, () => outboxVault(credential));

/**
 * A sealed destination that does not open (another key, altered) is reported once and worth a warning; the
 * worker's other failures (e.g. the store unreachable) repeat every poll until they pass, so they go to debug.
 */
function logWorkerError(fn: ITriggerFunctions, credential: StoreCredential, error: unknown): void {
  const message = redactText(error instanceof Error ? error.message : String(error), storeSecrets(credential));
  if (error instanceof DestinationVaultError) fn.logger.warn(`Delivery Worker Trigger: ${message}`);
  else fn.logger.debug(`Delivery Worker Trigger: ${message}`);
}

/**
 * The store credential's daily retention cleanup, run while this trigger is active. It holds a store lease from
 * its first run to the trigger's close; store errors are logged (redacted) and the run is tried again the next day.
 */
function startRetention(fn: ITriggerFunctions, credential: StoreCredential, location: string, days: number): () => Promise<void> {
  let lease: Promise<StoreLease> | undefined;
  const store = () => {
    lease ??= acquireStore(location).catch((error: unknown) => {
      lease = undefined;
      throw error;
    });
    return lease.then((held) => held.store);
  };
  const redact = (line: string) => redactText(line, storeSecrets(credential));
  const retention = startStoreRetention(store, days, {
    info: (line) => fn.logger.info(`Delivery Worker Trigger: ${line}`),
    warn: (line) => fn.logger.warn(`Delivery Worker Trigger: ${redact(line)}`),
  });
  return async () => {
    await retention?.stop();
    const held = lease;
    lease = undefined;
    await held?.then((taken) => taken.release(), () => undefined);
  };
}

export class DeliveryWorkerTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Delivery Worker Trigger',
    name: 'deliveryWorkerTrigger',
    icon: 'file:deliveryWorker.svg',
    group: ['trigger'],
    version: 1,
    subtitle: '={{"emits " + $parameter["emit"] + " results"}}',
    description: 'Runs the delivery outbox (retries, Retry-After, dead letters) while the workflow is active and emits delivery results',
    defaults: { name: 'Delivery Worker Trigger' },
    inputs: [],
    outputs: ['main'],
    credentials: [{ name: 'incidentIntakeStoreApi', required: true, testedBy: 'incidentIntakeStoreTest' }],
    properties: [
      {
        displayName: 'Emit',
        name: 'emit',
        type: 'options',
        options: [
          { name: 'Final Results', value: 'final', description: 'Delivered and dead-lettered deliveries' },
          { name: 'Failures Only', value: 'failures', description: 'Dead-lettered deliveries: alert on these' },
          { name: 'Every Attempt', value: 'all', description: 'Also each scheduled retry' },
        ],
        default: 'final',
      },
      {
        displayName:
          'Deliveries are sent for the destinations that Signed Webhook and incident.io nodes have used since n8n started, and, when the store credential has an outbox encryption key, for every destination they have sealed into the store (after a restart, or from queue-mode workers); keep one active workflow with this trigger per n8n instance. It also runs the store credential\'s daily retention cleanup.',
        name: 'notice',
        type: 'notice',
        default: '',
      },
    ],
  };

  methods = { credentialTest: { incidentIntakeStoreTest: storeCredentialTest } };

  async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
    const credential = (await this.getCredentials('incidentIntakeStoreApi')) as StoreCredential;
    const location = storeLocation(credential);
    const vault = vaultFor(this, credential);
    const hostPolicy = settingOf(this, () => outboundHostPolicy(credential));
    const wanted = EMIT[this.getNodeParameter('emit', 'final') as string] ?? EMIT.final!;
    const onResult = (result: DeliveryResult) => {
      if (wanted(result)) this.emit([[{ json: result as unknown as IDataObject }]]);
    };
    const days = settingOf(this, () => retentionDays(credential.retentionDays));
    const stop = await startDelivering(location, onResult, { vault, hostPolicy, onError: (error) => logWorkerError(this, credential, error) });
    const stopRetention = startRetention(this, credential, location, days);
    return {
      closeFunction: async () => {
        await stopRetention();
        await stop();
      },
    };
  }
}

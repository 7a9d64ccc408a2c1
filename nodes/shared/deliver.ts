import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { DestinationVault } from '../../core/delivery/destination-vault';
import type { DeliveryEventKind } from '../../core/delivery/delivery-event';
import { destinationSecrets, type DestinationConfigInput } from '../../core/delivery/destination-config';
import { enqueueDelivery } from '../../core/delivery/enqueue';
import { NotFoundError } from '../../core/errors';
import { deliverDue, registerDestination } from './delivery-hub';
import { nodeError } from './node-errors';
import { outboundHostPolicy } from './outbound-hosts';
import { outboxVault } from './outbox-vault';
import { acquireStore } from './store-cache';
import { storeLocation, type StoreCredential } from './store-location';

export interface DeliveryRequest {
  incidentId: string;
  destination: DestinationConfigInput;
  kind?: DeliveryEventKind;
}

/**
 * Every delivery node's execute: enqueue each item's incident in the outbox for its destination (sealing the
 * destination into the store when the store credential has an outbox key), then send what is due. Output: the
 * delivery, and the first attempt's result when it ran here.
 */
export async function executeDeliveries(fn: IExecuteFunctions, requestFor: (item: number) => Promise<DeliveryRequest>): Promise<INodeExecutionData[][]> {
  const credential = (await fn.getCredentials('incidentIntakeStoreApi')) as StoreCredential;
  const location = storeLocation(credential);
  const vault = vaultOf(fn, credential);
  const hostPolicy = settingOf(fn, () => outboundHostPolicy(credential));
  const lease = await acquireStore(location);
  try {
    const output: INodeExecutionData[] = [];
    for (let item = 0; item < fn.getInputData().length; item++) {
      let secrets: string[] = [];
      try {
        const request = await requestFor(item);
        const config = await registerDestination(location, lease.store, request.destination, vault);
        secrets = destinationSecrets(config);
        const incident = await lease.store.transaction((r) => r.incidents.get(config.tenant, request.incidentId));
        if (!incident) throw new NotFoundError('incident', request.incidentId);
        const { delivery, created } = await enqueueDelivery(lease.store, { destination: config, incident, kind: request.kind });
        const result = (await deliverDue(location, lease.store, config, hostPolicy)).find((candidate) => candidate.deliveryId === delivery.id);
        const json = { deliveryId: delivery.id, created, destinationId: config.id, incidentId: incident.id, eventVersion: incident.version, eventKind: delivery.eventKind, status: result?.status ?? delivery.state, result: result ?? null };
        output.push({ json: json as unknown as IDataObject, pairedItem: { item } });
      } catch (error) {
        const failure = nodeError(fn.getNode(), error, secrets, item);
        if (!fn.continueOnFail()) throw failure;
        output.push({ json: { error: failure.message }, pairedItem: { item } });
      }
    }
    return [output];
  } finally {
    await lease.release();
  }
}

/** A malformed outbox key fails the whole execution: no item could be delivered durably as configured. */
function vaultOf(fn: IExecuteFunctions, credential: StoreCredential): DestinationVault | undefined {
  return settingOf(fn, () => outboxVault(credential));
}

/** A store credential setting that does not parse (outbox key, delivery hosts) fails the whole execution. */
function settingOf<T>(fn: IExecuteFunctions, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw nodeError(fn.getNode(), error, []);
  }
}

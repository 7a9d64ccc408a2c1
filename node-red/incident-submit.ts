import { outcome as outcomeOf, type IntakeOutcome } from '../core/intake/outcome';
import { outcomeDetails } from '../core/intake/outcome-details';
import { isRefusal, submitMessage } from '../core/intake/submit-message';
import type { SourceConfig } from '../core/intake/source-config';
import type { DeliveryTarget } from '../core/delivery/delivery-target';
import type { IntakeSourceNode } from './shared/intake-source-settings';
import type { IntakeStoreNode } from './shared/intake-store-settings';
import { intakeMessages } from './shared/intake-messages';
import { coalescedStatus, type NodeStatus } from './shared/coalesced-status';
import { wiredDeliveryTargets } from './shared/delivery-targets';
import { finishInput, type Node, type NodeAPI, type NodeDef, type NodeMessage, type NodeMessageInFlow } from './shared/node-red-types';
import { redacting } from './shared/store-error-text';

interface IncidentSubmitDef extends NodeDef {
  wires?: string[][];
  source: string;
  store: string;
}

/** Same pace as the HTTP intake node: a status per message would be an editor message per message. */
const STATUS_INTERVAL_MS = 250;
/** review, incident, quarantined as the HTTP node; then refused. */
const REFUSED_OUTPUT = 3;

/**
 * The intake pipeline for a message from any node (`mqtt in`, a poller, a file watcher): `msg.payload` as
 * an object, string or Buffer, a signature (if the source wants one) in `msg.headers` or MQTT 5
 * `msg.userProperties`. Refusals leave on their own output with `msg.outcome` and `msg.reason`, the
 * message otherwise unchanged, so a flow can park or nack it.
 */
export = function registerIncidentSubmit(RED: NodeAPI): void {
  function IncidentSubmit(this: Node, def: IncidentSubmitDef) {
    RED.nodes.createNode(this, def);
    const sourceNode = RED.nodes.getNode(def.source) as IntakeSourceNode | null;
    const storeNode = RED.nodes.getNode(def.store) as IntakeStoreNode | null;
    const source = sourceNode?.definition?.source;
    const status = coalescedStatus(this, STATUS_INTERVAL_MS);
    const deliverTo = wiredDeliveryTargets(RED, def.wires, 1);
    let received = 0;
    if (!source || !storeNode || !sourceNode) {
      this.status({ fill: 'red', shape: 'ring', text: !storeNode ? 'no intake store' : !sourceNode ? 'no intake source' : 'invalid source' });
    } else {
      storeNode.store().catch(() => undefined);
      sourceNode.normaliser();
      this.status({ fill: 'grey', shape: 'ring', text: source.messageTrust ? `messages: ${source.messageTrust}` : 'source takes no messages' });
    }

    this.on('input', (msg: NodeMessageInFlow, send, done) => {
      const work = async () => {
        const result = source && storeNode && sourceNode ? await submit(source, sourceNode, storeNode, msg, deliverTo) : outcomeOf('unknown_source', 'configure an intake source and an intake store for this node');
        status.show(outcomeStatus(result, ++received));
        if (isRefusal(result)) {
          const outputs: Array<NodeMessage | null> = [null, null, null, null];
          outputs[REFUSED_OUTPUT] = { ...msg, outcome: result.code, reason: result.reason, status: result.status, ...(result.headers['Retry-After'] && { retryAfterSeconds: Number(result.headers['Retry-After']) }) };
          send(outputs);
          return;
        }
        if (!result.stored) return;
        const details = await outcomeDetails(await storeNode!.store(), source!.tenant, result);
        send([...intakeMessages(source!, result, details), []] as never);
      };
      finishInput(redacting(work(), storeNode), done);
    });
    this.on('close', (_removed: boolean, done: () => void) => {
      status.stop();
      done();
    });
  }
  RED.nodes.registerType('incident-submit', IncidentSubmit as never);
};

async function submit(source: SourceConfig, sourceNode: IntakeSourceNode, storeNode: IntakeStoreNode, msg: NodeMessageInFlow, deliverTo: DeliveryTarget[]): Promise<IntakeOutcome> {
  let store;
  try {
    store = await storeNode.store();
  } catch {
    return outcomeOf('store_unavailable', 'the intake store is unavailable; retry later', { headers: { 'Retry-After': '30' } });
  }
  const carried = msg as NodeMessageInFlow & { headers?: unknown; userProperties?: unknown };
  const headers = (carried.headers ?? carried.userProperties) as Record<string, string> | undefined;
  return submitMessage(source, { payload: msg.payload, headers }, { store, normaliser: sourceNode.normaliser(), deliverTo });
}

function outcomeStatus(result: IntakeOutcome, received: number): NodeStatus {
  return { fill: result.status < 300 ? 'green' : result.status < 500 ? 'yellow' : 'red', shape: 'dot', text: `${result.code} · ${received} received` };
}

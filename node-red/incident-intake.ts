import type { IncomingMessage, ServerResponse } from 'node:http';
import { answer, serveIntake } from '../core/http/serve-intake';
import { outcome as outcomeOf, type IntakeOutcome } from '../core/intake/outcome';
import { outcomeDetails } from '../core/intake/outcome-details';
import type { SourceConfig } from '../core/intake/source-config';
import type { IntakeSourceNode } from './shared/intake-source-settings';
import type { IntakeStoreNode } from './shared/intake-store-settings';
import { normaliseRoutePath, removeRoute } from './shared/http-routes';
import { captureRawBodies, capturedBody } from './shared/raw-body-capture';
import { intakeMessages } from './shared/intake-messages';
import { coalescedStatus, type NodeStatus } from './shared/coalesced-status';
import { wiredDeliveryTargets } from './shared/delivery-targets';
import type { DeliveryTarget } from '../core/delivery/delivery-target';
import type { Node, NodeAPI, NodeDef } from './shared/node-red-types';
import { storeErrorText } from './shared/store-error-text';

interface IncidentIntakeDef extends NodeDef {
  wires?: string[][];
  source: string;
  store: string;
  path?: string;
}

/** A node status per request would be an editor message per request: at most four a second. */
const STATUS_INTERVAL_MS = 250;

export = function registerIncidentIntake(RED: NodeAPI): void {
  function IncidentIntake(this: Node, def: IncidentIntakeDef) {
    RED.nodes.createNode(this, def);
    const sourceNode = RED.nodes.getNode(def.source) as IntakeSourceNode | null;
    const storeNode = RED.nodes.getNode(def.store) as IntakeStoreNode | null;
    const definition = sourceNode?.definition;
    if (!definition || !storeNode) {
      this.status({ fill: 'red', shape: 'ring', text: !storeNode ? 'no intake store' : !sourceNode ? 'no intake source' : 'invalid source' });
      return;
    }
    const source = definition.source;
    const path = normaliseRoutePath(def.path, `/intake/${source.id}`);
    const status = coalescedStatus(this, STATUS_INTERVAL_MS);
    // Nothing wired, nothing to send: the stored records are not read back.
    const wired = def.wires?.some((output) => output.length > 0) ?? false;
    let received = 0;

    const handle = async (request: IncomingMessage, response: ServerResponse) => {
      const result = await serveWithStore(request, response, source, sourceNode, storeNode, wiredDeliveryTargets(RED, def.wires, 1));
      status.show(outcomeStatus(result, ++received));
      if (!result.stored || !wired) return;
      const details = await outcomeDetails(await storeNode.store(), source.tenant, result);
      this.send(intakeMessages(source, result, details));
    };
    // Open the store and build the mapping now rather than on the first request: opening runs the migrations
    // synchronously, which held that first request's event loop for up to a hundred milliseconds.
    storeNode.store().catch(() => undefined);
    sourceNode.normaliser();
    const stopCapture = captureRawBodies(RED, path, source.limits.maxBodyBytes);
    RED.httpNode.post(path, (req, res) => {
      handle(req, res).catch((error: unknown) => {
        this.error(`incident-intake ${path}: ${storeErrorText(error, storeNode)}`);
        answer(res, outcomeOf('internal_error', 'the request could not be processed'), false);
      });
    });
    this.status({ fill: 'grey', shape: 'ring', text: `POST ${path}` });
    this.on('close', (_removed: boolean, done: () => void) => {
      removeRoute(RED, path, 'post');
      stopCapture();
      status.stop();
      done();
    });
  }
  RED.nodes.registerType('incident-intake', IncidentIntake as never);
};

async function serveWithStore(
  request: IncomingMessage,
  response: ServerResponse,
  source: SourceConfig,
  sourceNode: IntakeSourceNode,
  storeNode: IntakeStoreNode,
  deliverTo: DeliveryTarget[],
): Promise<IntakeOutcome> {
  let store;
  try {
    store = await storeNode.store();
  } catch {
    const unavailable = outcomeOf('store_unavailable', 'the intake store is unavailable; retry later', { headers: { 'Retry-After': '30' } });
    request.resume();
    answer(response, unavailable, false);
    return unavailable;
  }
  const body = capturedBody(request);
  return serveIntake(request, response, source, { store, normaliser: sourceNode.normaliser(), deliverTo }, body ? { body } : {});
}

function outcomeStatus(result: IntakeOutcome, received: number): NodeStatus {
  return { fill: result.status < 300 ? 'green' : result.status < 500 ? 'yellow' : 'red', shape: 'dot', text: `${result.status} ${result.code} · ${received} received` };
}

import type { IntakeSourceNode } from './shared/intake-source-settings';
import type { IntakeStoreNode } from './shared/intake-store-settings';
import { finishInput, type Node, type NodeAPI, type NodeDef, type NodeMessageInFlow } from './shared/node-red-types';
import { REVIEW_ACTIONS, runReviewAction, type ReviewAction } from './shared/review-actions';
import { wiredDeliveryTargets } from './shared/delivery-targets';

interface IncidentReviewDef extends NodeDef {
  wires?: string[][];
  source: string;
  store: string;
  action: ReviewAction;
  eventId: string;
  eventIdType: string;
  actor: string;
  actorType: string;
  reason: string;
  reasonType: string;
}

export = function registerIncidentReview(RED: NodeAPI): void {
  function IncidentReview(this: Node, def: IncidentReviewDef) {
    RED.nodes.createNode(this, def);
    const sourceNode = RED.nodes.getNode(def.source) as IntakeSourceNode | null;
    const storeNode = RED.nodes.getNode(def.store) as IntakeStoreNode | null;
    const property = (value: string, type: string, msg: NodeMessageInFlow): string | undefined => {
      if (!type || value === undefined) return undefined;
      const resolved = RED.util.evaluateNodeProperty(value, type, this, msg);
      return resolved === undefined || resolved === null ? undefined : String(resolved);
    };
    this.on('input', (msg, send, done) => {
      const work = async () => {
        const source = sourceNode?.definition?.source;
        if (!source || !storeNode) throw new Error('configure an intake source and an intake store for this node');
        const action = (typeof msg.action === 'string' && (REVIEW_ACTIONS as readonly string[]).includes(msg.action) ? msg.action : def.action) as ReviewAction;
        const result = await runReviewAction(await storeNode.store(), action, {
          tenant: source.tenant,
          sourceId: source.id,
          eventId: property(def.eventId, def.eventIdType, msg),
          actor: property(def.actor, def.actorType, msg),
          reason: property(def.reason, def.reasonType, msg),
          force: msg.force === true,
          deliverTo: wiredDeliveryTargets(RED, def.wires, 0),
        });
        this.status({ fill: 'green', shape: 'dot', text: `${action} ok` });
        send({ ...msg, ...result, action });
      };
      finishInput(
        work().catch((error: unknown) => {
          this.status({ fill: 'red', shape: 'ring', text: error instanceof Error ? error.message.slice(0, 60) : 'failed' });
          throw error;
        }),
        done,
      );
    });
  }
  RED.nodes.registerType('incident-review', IncidentReview as never);
};

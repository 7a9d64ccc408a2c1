import type { IntakeSourceNode } from './shared/intake-source-settings';
import type { IntakeStoreNode } from './shared/intake-store-settings';
import { finishInput, type Node, type NodeAPI, type NodeDef, type NodeMessageInFlow } from './shared/node-red-types';
import { REVIEW_ACTIONS, runReviewAction, type ReviewAction } from './shared/review-actions';
import { INCIDENT_ACTIONS, isIncidentAction, runIncidentAction, type IncidentAction } from './shared/incident-actions';
import { deadlineOptionsFrom } from '../core/regulatory/deadline-settings';
import { wiredDeliveryTargets } from './shared/delivery-targets';
import { redactedStoreError } from './shared/store-error-text';

interface IncidentReviewDef extends NodeDef {
  wires?: string[][];
  source: string;
  store: string;
  action: ReviewAction | IncidentAction;
  eventId: string;
  eventIdType: string;
  actor: string;
  actorType: string;
  reason: string;
  reasonType: string;
  trustServiceProvider?: boolean;
  doraWeekendRelief?: boolean;
  doraEntity?: string;
  holidays?: string;
}

const ACTIONS: readonly string[] = [...REVIEW_ACTIONS, ...INCIDENT_ACTIONS];


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
        const action = (typeof msg.action === 'string' && ACTIONS.includes(msg.action) ? msg.action : def.action) as ReviewAction | IncidentAction;
        const store = await storeNode.store();
        const actor = property(def.actor, def.actorType, msg);
        const result = isIncidentAction(action)
          ? await runIncidentAction(store, action, {
              tenant: source.tenant,
              incidentId: typeof msg.incidentId === 'string' ? msg.incidentId : undefined,
              actor,
              owner: msg.owner,
              evidence: msg.evidence,
              classification: msg.classification,
              report: msg.report,
              deadlineOptions: deadlineOptionsFrom(def),
            })
          : await runReviewAction(store, action, {
              tenant: source.tenant,
              sourceId: source.id,
              eventId: property(def.eventId, def.eventIdType, msg),
              actor,
              reason: property(def.reason, def.reasonType, msg),
              force: msg.force === true,
              deliverTo: wiredDeliveryTargets(RED, def.wires, 0),
            });
        const broken = action === 'audit-verify' && result.topic === 'audit.broken';
        this.status(broken ? { fill: 'red', shape: 'dot', text: 'audit chain broken' } : { fill: 'green', shape: 'dot', text: `${action} ok` });
        send({ ...msg, ...result, action });
      };
      finishInput(
        work().catch((error: unknown) => {
          const redacted = redactedStoreError(error, storeNode);
          this.status({ fill: 'red', shape: 'ring', text: redacted.message.slice(0, 60) || 'failed' });
          throw redacted;
        }),
        done,
      );
    });
  }
  RED.nodes.registerType('incident-review', IncidentReview as never);
};

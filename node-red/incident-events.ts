import { parseAlertLeads } from '../core/lifecycle/deadline-alerts';
import { startEventFeed, type EventFeed, type FeedDelivery } from '../core/lifecycle/event-feed';
import { parseKindFilter } from '../core/lifecycle/lifecycle-event';
import { deadlineOptionsFrom } from '../core/regulatory/deadline-settings';
import type { IntakeSourceNode } from './shared/intake-source-settings';
import type { IntakeStoreNode } from './shared/intake-store-settings';
import { finishClose, type Node, type NodeAPI, type NodeDef } from './shared/node-red-types';
import { redacting, storeErrorText } from './shared/store-error-text';

interface IncidentEventsDef extends NodeDef {
  source: string;
  store: string;
  /** Comma-separated kinds (`deadline.*` allowed); empty: every kind. */
  kinds?: string;
  /** The subscription name; empty: this node's id (the same flow on several instances shares it). */
  subscription?: string;
  /** Whether this node runs the tenant's deadline scanner (default on). */
  scan?: boolean;
  leads?: string;
  scanEvery?: string | number;
  trustServiceProvider?: boolean;
  doraWeekendRelief?: boolean;
  doraEntity?: string;
  holidays?: string;
}

function seconds(value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 1) throw new Error(`Scan every: "${String(value).slice(0, 20)}" is not a number of seconds (1 or more)`);
  return parsed;
}

/**
 * Emits each lifecycle event of the source's tenant (incident.acknowledged, .classified, .owner_changed,
 * evidence.added, report.submitted, deadline.approaching, deadline.missed) as one message, claimed from the
 * store's event outbox and acknowledged once sent; runs the deadline scanner that writes the deadline alerts.
 */
export = function registerIncidentEvents(RED: NodeAPI): void {
  function IncidentEvents(this: Node, def: IncidentEventsDef) {
    RED.nodes.createNode(this, def);
    const sourceNode = RED.nodes.getNode(def.source) as IntakeSourceNode | null;
    const storeNode = RED.nodes.getNode(def.store) as IntakeStoreNode | null;
    const tenant = sourceNode?.definition?.source.tenant;
    if (!tenant || !storeNode) {
      this.status({ fill: 'red', shape: 'ring', text: 'configure a source and a store' });
      this.error('incident events: configure an intake source and an intake store for this node');
      return;
    }
    let feed: EventFeed | undefined;
    let sent = 0;
    try {
      const kinds = parseKindFilter(def.kinds);
      const scanner =
        def.scan === false
          ? (false as const)
          : { leadsMs: parseAlertLeads(def.leads), everyMs: seconds(def.scanEvery, 60) * 1_000, deadlineOptions: deadlineOptionsFrom(def) };
      let failing = false;
      const deliver = (batch: FeedDelivery[]) => {
        for (const { event, attempt } of batch) {
          this.send({ topic: event.kind, payload: event, eventId: event.id, incidentId: event.incidentId, attempt } as never);
          sent++;
        }
        failing = false;
        const last = batch.at(-1)!.event.kind;
        this.status({ fill: 'green', shape: 'dot', text: `${sent} sent · last ${last}` });
      };
      feed = startEventFeed({
        store: () => storeNode.store(),
        tenant,
        consumer: def.subscription?.trim() || def.id,
        kinds,
        deliver,
        scanner,
        onError: (error) => {
          const message = storeErrorText(error, storeNode);
          this.status({ fill: 'red', shape: 'ring', text: message.slice(0, 60) });
          if (!failing) this.warn(`incident events: ${message}; trying again`);
          failing = true;
        },
      });
      this.status({ fill: 'grey', shape: 'ring', text: kinds.length ? `waiting (${kinds.length} kinds)` : 'waiting' });
    } catch (error) {
      const message = storeErrorText(error, storeNode);
      this.status({ fill: 'red', shape: 'ring', text: message.slice(0, 60) });
      this.error(`incident events: ${message}`);
    }
    this.on('close', (_removed: boolean, done: () => void) => finishClose(this, redacting(feed?.stop() ?? Promise.resolve(), storeNode), done));
  }
  RED.nodes.registerType('incident-events', IncidentEvents as never);
};

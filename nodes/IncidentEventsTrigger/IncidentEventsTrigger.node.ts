import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { redactText } from '../../core/delivery/redact';
import { parseAlertLeads } from '../../core/lifecycle/deadline-alerts';
import { startEventFeed, type FeedDelivery } from '../../core/lifecycle/event-feed';
import { LIFECYCLE_EVENT_KINDS, parseKindFilter } from '../../core/lifecycle/lifecycle-event';
import { DORA_ENTITY_KINDS } from '../../core/regulatory/deadlines';
import { deadlineOptionsFrom, type DeadlineSettings } from '../../core/regulatory/deadline-settings';
import { DORA_ENTITY_NAMES } from '../IncidentIntake/resources/incident';
import { storeCredentialTest } from '../shared/credential-tests';
import { nodeError } from '../shared/node-errors';
import { acquireStore, type StoreLease } from '../shared/store-cache';
import { storeLocation, storeSecrets, type StoreCredential } from '../shared/store-location';

const KIND_NAMES: Record<string, string> = {
  'incident.acknowledged': 'Incident Acknowledged',
  'incident.classified': 'Incident Classified',
  'incident.owner_changed': 'Incident Owner Changed',
  'evidence.added': 'Evidence Added',
  'report.submitted': 'Report Submitted',
  'deadline.approaching': 'Deadline Approaching',
  'deadline.missed': 'Deadline Missed',
};

function settingOf<T>(fn: ITriggerFunctions, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw nodeError(fn.getNode(), error, []);
  }
}

/**
 * Emits the tenant's lifecycle events (one item each) while the workflow is active: claimed from the store's
 * event outbox, acknowledged once emitted, and the deadline scanner that writes the deadline alerts runs here.
 */
export class IncidentEventsTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Incident Events Trigger',
    name: 'incidentEventsTrigger',
    icon: 'file:incidentEvents.svg',
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["kinds"].length ? $parameter["kinds"].join(", ") : "every lifecycle event"}}',
    description: 'Emits incident lifecycle events and DORA/NIS2 deadline alerts (approaching, missed) while the workflow is active',
    defaults: { name: 'Incident Events Trigger' },
    inputs: [],
    outputs: ['main'],
    credentials: [{ name: 'incidentIntakeStoreApi', required: true, testedBy: 'incidentIntakeStoreTest' }],
    properties: [
      { displayName: 'Tenant', name: 'tenant', type: 'string', default: 'default', description: 'The tenant whose events to emit (MSPs: one per customer)' },
      {
        displayName: 'Kinds',
        name: 'kinds',
        type: 'multiOptions',
        options: [...LIFECYCLE_EVENT_KINDS].sort((a, b) => KIND_NAMES[a]!.localeCompare(KIND_NAMES[b]!)).map((kind) => ({ name: KIND_NAMES[kind]!, value: kind })),
        default: [],
        description: 'Which events to emit; none selected emits every kind',
      },
      {
        displayName: 'Run Deadline Scanner',
        name: 'scan',
        type: 'boolean',
        default: true,
        description: 'Whether this trigger writes the deadline alerts (only one process scans at a time across a shared store)',
      },
      {
        displayName: 'Alert Leads',
        name: 'leads',
        type: 'string',
        default: '2h, 30m',
        description: 'How long before a deadline to emit Deadline Approaching, e.g. 2h, 30m (units s, m, h, d)',
        displayOptions: { show: { scan: [true] } },
      },
      {
        displayName: 'Scan Every (Seconds)',
        name: 'scanEvery',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 60,
        displayOptions: { show: { scan: [true] } },
      },
      {
        displayName: 'Deadline Options',
        name: 'deadlineOptions',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        description: "The tenant's reporting obligations, as in the Incident Intake node's incident operations",
        displayOptions: { show: { scan: [true] } },
        options: [
          { displayName: 'DORA Entity', name: 'doraEntity', type: 'options', default: 'other', options: DORA_ENTITY_KINDS.map((kind) => ({ name: DORA_ENTITY_NAMES[kind], value: kind })) },
          { displayName: 'DORA Weekend Relief', name: 'doraWeekendRelief', type: 'boolean', default: false, description: 'Whether a DORA deadline on a weekend or holiday moves to noon UTC of the next working day' },
          { displayName: 'Holidays', name: 'holidays', type: 'string', default: '', placeholder: '2026-12-25, 2026-12-26', description: 'Public holidays (YYYY-MM-DD) for the weekend relief' },
          { displayName: 'NIS2 Trust Service Provider', name: 'trustServiceProvider', type: 'boolean', default: false, description: 'Whether the NIS2 incident notification is due within 24 h instead of 72 h' },
        ],
      },
      {
        displayName: 'Subscription',
        name: 'subscription',
        type: 'string',
        default: '',
        description: 'Empty: this workflow and node. Each subscription receives every event once, from its first activation; triggers sharing one share its events.',
      },
      {
        displayName:
          'Events are acknowledged once emitted: at least once, so an n8n that stops in between emits the event again (same ID) after a minute. Keep one active workflow with this trigger per subscription.',
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
    const tenant = ((this.getNodeParameter('tenant', 'default') as string) || 'default').trim();
    const kinds = settingOf(this, () => parseKindFilter((this.getNodeParameter('kinds', []) as string[]).join(',')));
    const scan = this.getNodeParameter('scan', true) as boolean;
    const scanner = scan
      ? settingOf(this, () => ({
          leadsMs: parseAlertLeads(this.getNodeParameter('leads', '') as string),
          everyMs: Math.max(1, Number(this.getNodeParameter('scanEvery', 60))) * 1_000,
          deadlineOptions: deadlineOptionsFrom(this.getNodeParameter('deadlineOptions', {}) as DeadlineSettings),
        }))
      : (false as const);
    const named = (this.getNodeParameter('subscription', '') as string).trim() || `${this.getWorkflow().id ?? 'workflow'}:${this.getNode().name}`;
    // Listening for a test event in the editor must not take events from the active workflow's subscription.
    const subscription = this.getMode() === 'manual' ? `${named}:editor-test` : named;
    let lease: Promise<StoreLease> | undefined;
    const store = () => {
      lease ??= acquireStore(location).catch((error: unknown) => {
        lease = undefined;
        throw error;
      });
      return lease.then((held) => held.store);
    };
    let failing = false;
    const feed = startEventFeed({
      store,
      tenant,
      consumer: subscription,
      kinds,
      scanner,
      deliver: (batch: FeedDelivery[]) => {
        failing = false;
        this.emit([batch.map(({ event, attempt }) => ({ json: { ...event, attempt } as unknown as IDataObject }))]);
      },
      onError: (error) => {
        const message = redactText(error instanceof Error ? error.message : String(error), storeSecrets(credential));
        if (!failing) this.logger.warn(`Incident Events Trigger: ${message}; trying again`);
        failing = true;
      },
    });
    return {
      closeFunction: async () => {
        await feed.stop();
        const held = lease;
        lease = undefined;
        await held?.then((taken) => taken.release(), () => undefined);
      },
    };
  }
}

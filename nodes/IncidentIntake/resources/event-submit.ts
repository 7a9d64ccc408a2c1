import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { IntakeOutcome } from '../../../core/intake/outcome';
import { isRefusal, submitMessage } from '../../../core/intake/submit-message';
import type { MessageTrust } from '../../../core/intake/message-trust';
import { InvalidRequestError } from '../../../core/errors';
import { triggerProperties } from '../../IncidentIntakeTrigger/IncidentIntakeTrigger.description';
import { PROVIDER_OPTIONS } from '../../shared/options';
import { authInput, type SourceAuthCredential } from '../../shared/source-auth';
import { limitsInput, mappingInput, type TriggerSettings } from '../../shared/trigger-settings';
import { shownFor, text, type OperationContext } from './operation';

const shown = shownFor('event', ['submit']);

/** Submit's outputs, in order: the Trigger's three, then refusals, then items with nothing new to act on. */
export const SUBMIT_OUTPUTS = ['review', 'incident', 'quarantined', 'refused', 'skipped'] as const;
export type SubmitRoute = (typeof SUBMIT_OUTPUTS)[number];

/**
 * The Incident Intake node's outputs for its parameters, evaluated by n8n as an expression (as for its Switch
 * node): Event → Submit has one named output per route of {@link SUBMIT_OUTPUTS}, every other operation the
 * one main output. n8n turns this function into text, so it may use nothing from outside its own body.
 */
export const configuredOutputs = (parameters: { resource?: string; operation?: string }) =>
  (parameters.resource || 'event') === 'event' && parameters.operation === 'submit'
    ? ['Review', 'Incident', 'Quarantined', 'Refused', 'Skipped'].map((displayName) => ({ type: 'main', displayName }))
    : ['main'];

/** Limits as the Trigger sets them, described for messages rather than HTTP requests. */
const MESSAGE_LIMIT_DESCRIPTIONS: Record<string, string> = {
  maxBodyKb: 'Larger messages are refused (payload_too_large)',
  tenantPerDay: 'Beyond this messages are refused until midnight UTC (tenant_budget_exhausted)',
  sourcePerHour: 'Beyond this the source is disabled as flooding and its messages are refused',
};

/** The Trigger's own severity filter, mapping override and limits, so a source behaves the same over either. */
const sourceSettings: INodeProperties[] = triggerProperties
  .filter((property) => ['severityFilter', 'mapping', 'limits'].includes(property.name))
  .map((property) => ({
    ...property,
    displayOptions: shown,
    ...(property.name === 'limits' && {
      options: property.options!.map((option) => ({ ...option, ...(MESSAGE_LIMIT_DESCRIPTIONS[option.name] && { description: MESSAGE_LIMIT_DESCRIPTIONS[option.name] }) })),
    }),
  }));

export const submitFields: INodeProperties[] = [
  {
    displayName: 'Source ID',
    name: 'submitSourceId',
    type: 'string',
    default: '',
    required: true,
    description: 'The intake source these items come from (letters, digits, dot, dash, underscore)',
    displayOptions: shown,
  },
  { displayName: 'Provider', name: 'provider', type: 'options', options: PROVIDER_OPTIONS, default: 'generic', description: 'The preset that maps the payload', displayOptions: shown },
  {
    displayName: 'Mode',
    name: 'mode',
    type: 'options',
    options: [
      { name: 'Review', value: 'review', description: 'New incidents wait in the review queue' },
      { name: 'Auto-Create', value: 'auto-create', description: 'Valid events create or update incidents at once' },
    ],
    default: 'review',
    displayOptions: shown,
  },
  {
    displayName: 'Message Trust',
    name: 'messageTrust',
    type: 'options',
    options: [
      { name: 'Trust the Channel', value: 'channel', description: "The trigger's own authentication (broker, API credential) vouches for the sender; no signature is checked" },
      { name: 'Verify Signature', value: 'signature', description: 'The headers field carries a signature, verified with the source auth credential as for HTTP' },
    ],
    default: 'signature',
    displayOptions: shown,
  },
  {
    displayName: 'Payload',
    name: 'payloadFrom',
    type: 'options',
    options: [
      { name: 'Item JSON', value: 'json', description: 'The item JSON (or one field of it) is the event' },
      { name: 'Binary Property', value: 'binary', description: 'A binary property holds the raw body, as sent (for signed bodies)' },
    ],
    default: 'json',
    displayOptions: shown,
  },
  {
    displayName: 'Payload Field',
    name: 'payloadField',
    type: 'string',
    default: '',
    placeholder: 'body',
    description: 'Field of the item JSON holding the event. Empty: the whole item JSON (without the headers field).',
    displayOptions: { show: { resource: ['event'], operation: ['submit'], payloadFrom: ['json'] } },
  },
  {
    displayName: 'Binary Property',
    name: 'binaryProperty',
    type: 'string',
    default: 'data',
    displayOptions: { show: { resource: ['event'], operation: ['submit'], payloadFrom: ['binary'] } },
  },
  {
    displayName: 'Headers Field',
    name: 'headersField',
    type: 'string',
    default: 'headers',
    description: 'Field of the item JSON holding the message headers (with the signature). Absent field: no headers.',
    displayOptions: shown,
  },
  ...sourceSettings,
];

/** What goes through the pipeline for one item: its payload and headers. */
async function itemMessage(c: OperationContext): Promise<{ payload: unknown; headers?: Record<string, string> }> {
  const item = c.fn.getInputData()[c.item]!;
  const headersField = text(c, 'headersField', 'headers');
  const headers = headersField && item.json[headersField] && typeof item.json[headersField] === 'object' ? (item.json[headersField] as Record<string, string>) : undefined;
  if (text(c, 'payloadFrom', 'json') === 'binary') {
    const property = text(c, 'binaryProperty', 'data');
    if (!item.binary?.[property]) return { payload: undefined, headers };
    return { payload: await c.fn.helpers.getBinaryDataBuffer(c.item, property), headers };
  }
  const field = text(c, 'payloadField');
  if (field) return { payload: item.json[field], headers };
  const { [headersField]: _headers, ...rest } = item.json;
  return { payload: headersField ? rest : item.json, headers };
}

async function sourceFor(c: OperationContext, trust: MessageTrust) {
  const credential = trust === 'signature' ? ((await c.fn.getCredentials('incidentIntakeSourceAuthApi', c.item)) as SourceAuthCredential) : undefined;
  const settings = Object.fromEntries(['severityFilter', 'mapping', 'limits'].map((name) => [name, c.fn.getNodeParameter(name, c.item, undefined)])) as Pick<TriggerSettings, 'severityFilter' | 'mapping' | 'limits'>;
  return c.submitSources.get({
    tenant: c.tenant,
    id: text(c, 'submitSourceId'),
    provider: text(c, 'provider', 'generic') as never,
    mode: text(c, 'mode', 'review') as 'review' | 'auto-create',
    messageTrust: trust,
    ...(credential && { auth: authInput(credential) }),
    limits: limitsInput(settings.limits),
    mapping: mappingInput(settings),
  });
}

/** The output an item goes to. */
function routeOf(result: IntakeOutcome): SubmitRoute {
  if (isRefusal(result)) return 'refused';
  // a duplicate repeats the first answer's events: they were routed then
  if (result.code === 'duplicate') return 'skipped';
  if (result.incidents.length > 0) return 'incident';
  if (result.events.some((event) => event.state === 'pending_review')) return 'review';
  if (result.events.some((event) => event.state === 'quarantined')) return 'quarantined';
  // filtered, stale, a passed test event, or a payload that held no alert
  return 'skipped';
}

/**
 * One item through the intake pipeline, as if its trigger had been the HTTP intake. Refusals are items too
 * (`refused: true` with the reason), so none is dropped and each stays paired with its input; `route` names
 * the output it goes to.
 */
export async function submitItem(c: OperationContext): Promise<IDataObject> {
  const trust = text(c, 'messageTrust', 'signature');
  if (trust !== 'channel' && trust !== 'signature') throw new InvalidRequestError(`Message Trust must be channel or signature, not "${trust}"`);
  const { definition, normaliser } = await sourceFor(c, trust);
  const result = await submitMessage(definition.source, await itemMessage(c), { store: c.store, normaliser, deliverTo: c.deliverTo });
  return {
    route: routeOf(result),
    refused: isRefusal(result),
    outcome: result.code,
    status: result.status,
    reason: result.reason,
    sourceId: definition.source.id,
    ...(result.receiptId && { receiptId: result.receiptId }),
    ...(result.headers['Retry-After'] && { retryAfterSeconds: Number(result.headers['Retry-After']) }),
    events: result.events.map(({ id, state, reasons, incidentId }) => ({ id, state, ...(reasons?.length && { reasons }), ...(incidentId && { incidentId }) })) as unknown as IDataObject[],
    incidents: result.incidents as unknown as IDataObject[],
  };
}

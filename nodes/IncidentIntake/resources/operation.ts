import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { DeliveryTarget } from '../../../core/delivery/delivery-target';
import type { Store } from '../../../core/store/store';
import type { SubmitSources } from './submit-sources';

/** What every operation gets: the execution, the item, and the store and tenant it works on. */
export interface OperationContext {
  fn: IExecuteFunctions;
  item: number;
  store: Store;
  tenant: string;
  /** The sources Event → Submit has prepared in this execution. */
  submitSources: SubmitSources;
  /** The delivery nodes wired after this one: Submit and Promote enqueue for them with the incident change. */
  deliverTo: readonly DeliveryTarget[];
}

export type Operation = (context: OperationContext) => Promise<unknown>;

export interface Resource {
  operations: INodeProperties;
  fields: INodeProperties[];
  run: Record<string, Operation>;
}

/** A string parameter of the current item, trimmed. */
export function text(context: OperationContext, name: string, fallback = ''): string {
  return String(context.fn.getNodeParameter(name, context.item, fallback) ?? '').trim();
}

export function number(context: OperationContext, name: string, fallback: number): number {
  return Number(context.fn.getNodeParameter(name, context.item, fallback));
}

export function flag(context: OperationContext, name: string, fallback = false): boolean {
  return Boolean(context.fn.getNodeParameter(name, context.item, fallback));
}

/** Shows a field only for the given resource and operations. */
export function shownFor(resource: string, operation: string[]): INodeProperties['displayOptions'] {
  return { show: { resource: [resource], operation } };
}

/** An optional ISO date parameter as epoch ms. */
export function time(context: OperationContext, name: string): number | undefined {
  const value = text(context, name);
  if (!value) return undefined;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new RangeError(`${name}: "${value}" is not a date`);
  return parsed;
}

export const actorField = (resource: string, operation: string[]): INodeProperties => ({
  displayName: 'Actor',
  name: 'actor',
  type: 'string',
  default: 'n8n',
  required: true,
  description: 'Who made this decision; kept in the audit trail (e.g. the Slack user who clicked)',
  displayOptions: shownFor(resource, operation),
});

import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { storeCredentialTest } from '../shared/credential-tests';
import { activateIntake, deactivateIntake, isIntakeActive } from '../shared/intake-runtime';
import { answerIntake } from './answer-intake';
import { runtimeRequest } from './runtime-input';
import { triggerProperties } from './IncidentIntakeTrigger.description';
import { webhookPathField } from './webhook-path';
import { wiredDeliveryTargets } from '../shared/wired-delivery-targets';

export class IncidentIntakeTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Incident Intake Trigger',
    name: 'incidentIntakeTrigger',
    icon: 'file:incidentIntake.svg',
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["sourceId"] + " (" + $parameter["provider"] + ", " + $parameter["mode"] + ")"}}',
    description: 'Receives signed incident webhooks, verifies them over the raw body, maps, dedupes and rate-limits them',
    defaults: { name: 'Incident Intake Trigger' },
    inputs: [],
    // eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- the trigger routes to three named outputs
    outputs: ['main', 'main', 'main'],
    outputNames: ['Review', 'Incident', 'Quarantined'],
    credentials: [
      { name: 'incidentIntakeSourceAuthApi', required: true },
      { name: 'incidentIntakeStoreApi', required: true, testedBy: 'incidentIntakeStoreTest' },
    ],
    webhooks: [
      {
        name: 'default',
        httpMethod: 'POST',
        responseMode: 'onReceived',
        ...webhookPathField(),
        isFullPath: true,
      },
    ],
    properties: triggerProperties,
  };

  methods = { credentialTest: { incidentIntakeStoreTest: storeCredentialTest } };

  webhookMethods = {
    default: {
      async checkExists(this: IHookFunctions): Promise<boolean> {
        return isIntakeActive(runtimeKey(this));
      },
      async create(this: IHookFunctions): Promise<boolean> {
        await activateIntake(runtimeRequest(this, runtimeKey(this)));
        const { skipped } = wiredDeliveryTargets(this);
        if (skipped.length > 0) this.logger.warn(`Incident Intake Trigger "${this.getNode().name}": ${skipped.join(', ')} enqueue in their own execution, not with the intake (an expression in Destination ID, Tenant or URL)`);
        return true;
      },
      async delete(this: IHookFunctions): Promise<boolean> {
        await deactivateIntake(runtimeKey(this));
        return true;
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const routed = await answerIntake(this, runtimeKey(this));
    if (!routed) return { noWebhookResponse: true };
    return { noWebhookResponse: true, workflowData: routed.map((items) => items.map((json) => ({ json: json as IDataObject }))) };
  }
}

/** One runtime per node and per webhook kind, so a test listener never releases the production one. */
function runtimeKey(context: IHookFunctions | IWebhookFunctions): string {
  const kind = context.getMode() === 'manual' ? 'test' : 'live';
  return `${context.getWorkflow().id ?? 'unsaved'}:${context.getNode().id}:${kind}`;
}

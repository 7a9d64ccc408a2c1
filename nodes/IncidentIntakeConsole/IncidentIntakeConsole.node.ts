import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookDescription, IWebhookFunctions, IWebhookResponseData, WebhookType } from 'n8n-workflow';
import { storeCredentialTest } from '../shared/credential-tests';
import { consoleUsersCredentialTest } from './console-users-test';
import { answerConsole, consoleInput } from './answer-console';
import { isConsoleActive, stopConsole } from './console-runtime';

/** The console's deepest page is this many segments below its base; n8n matches every depth with its own webhook. */
const DEPTH = 8;

/**
 * n8n routes a path with `:name` segments under the node's webhook id: `/webhook/<webhook id>/<path>/…`. Each
 * depth is one such webhook; naming the first segment after the path keeps two console nodes with different
 * paths from colliding in n8n's webhook table (its key is the path template and method).
 */
function pageWebhooks(): IWebhookDescription[] {
  return Array.from({ length: DEPTH }, (_, index) => ({
    name: `page${index + 1}` as WebhookType,
    httpMethod: 'GET,POST',
    responseMode: 'onReceived',
    path: `={{":" + $parameter["path"]${Array.from({ length: index }, (_, depth) => ` + "/:s${depth + 2}"`).join('')}}}`,
    isFullPath: true,
    ndvHideUrl: true,
    ndvHideMethod: true,
  }));
}

export class IncidentIntakeConsole implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Incident Intake Console',
    name: 'incidentIntakeConsole',
    icon: 'file:incidentIntakeConsole.svg',
    group: ['trigger'],
    version: 1,
    subtitle: '={{"/" + $parameter["path"]}}',
    description: 'Serves the incident intake console (review queue, quarantine, sources, deliveries, incidents, audit) while the workflow is active; starts no executions',
    defaults: { name: 'Incident Intake Console' },
    // eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node -- a trigger (group 'trigger', webhooks) whose name does not end in Trigger
    inputs: [],
    outputs: ['main'],
    credentials: [
      { name: 'incidentIntakeStoreApi', required: true, testedBy: 'incidentIntakeStoreTest' },
      { name: 'incidentIntakeConsoleUsersApi', required: true, testedBy: 'incidentIntakeConsoleUsersTest' },
    ],
    webhooks: [
      { name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: '={{$parameter["path"]}}', isFullPath: true },
      ...pageWebhooks(),
    ],
    properties: [
      {
        displayName: 'Path',
        name: 'path',
        type: 'string',
        default: 'console',
        required: true,
        placeholder: 'console',
        description:
          'One path segment (letters, digits, dash, underscore). Open /webhook/&lt;path&gt; in a browser while the workflow is active; it leads to the console at /webhook/&lt;webhook ID&gt;/&lt;path&gt;.',
      },
      {
        displayName: 'Deliver Promoted Incidents To',
        name: 'deliverTo',
        type: 'string',
        default: '',
        placeholder: 'webhook:ops-receiver, incident-io:incidentio-prod',
        description:
          'Outbox destinations (KIND:ID, comma-separated) a promotion in the console enqueues the incident for, as an Incident Intake node promoting in a workflow would with its delivery node. The destination must be sealed in the store (its delivery node has run once with the store\'s outbox key); the Delivery Worker Trigger sends it.',
      },
      {
        displayName: 'Pages and API calls start no execution: this node never emits items. Users, roles and tenants come from the Console Users credential (password hashes and token hashes only).',
        name: 'notice',
        type: 'notice',
        default: '',
      },
      {
        // As for the intake trigger: n8n leaves the body of a version-1 webhook node with this set unread, so
        // the console reads its forms itself, under its own cap.
        displayName: 'Raw Body',
        name: 'options',
        type: 'hidden',
        default: { binaryData: true },
      },
    ],
  };

  methods = { credentialTest: { incidentIntakeStoreTest: storeCredentialTest, incidentIntakeConsoleUsersTest: consoleUsersCredentialTest } };

  webhookMethods = {
    default: {
      async checkExists(this: IHookFunctions): Promise<boolean> {
        return isConsoleActive(runtimeKey(this));
      },
      /** Checks the users file and opens the store on activation, so a bad credential fails there, not on the first page. */
      async create(this: IHookFunctions): Promise<boolean> {
        await consoleInput(this, runtimeKey(this)).then((input) => input.open());
        return true;
      },
      async delete(this: IHookFunctions): Promise<boolean> {
        await stopConsole(runtimeKey(this));
        return true;
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    await answerConsole(this, runtimeKey(this));
    return { noWebhookResponse: true };
  }
}

function runtimeKey(context: IHookFunctions | IWebhookFunctions): string {
  const kind = context.getMode() === 'manual' ? 'test' : 'live';
  return `${context.getWorkflow().id ?? 'unsaved'}:${context.getNode().id}:${kind}`;
}

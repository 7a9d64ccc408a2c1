import type { IExecuteFunctions, IHookFunctions, INode, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';

/** Just enough of n8n's node contexts to run the nodes' own code paths against the real core. */
export interface ContextOptions {
  parameters?: Record<string, unknown>;
  /** Per-item parameter overrides, by item index. */
  itemParameters?: Array<Record<string, unknown>>;
  credentials?: Record<string, Record<string, unknown>>;
  items?: Array<{ json: Record<string, unknown> }>;
  continueOnFail?: boolean;
  mode?: 'manual' | 'webhook' | 'trigger';
  workflowId?: string;
  nodeId?: string;
}

function lookup(source: Record<string, unknown>, name: string): unknown {
  return name.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), source);
}

function base(options: ContextOptions) {
  const node: INode = { id: options.nodeId ?? 'node-1', name: 'Node under test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
  return {
    getNode: () => node,
    getWorkflow: () => ({ id: options.workflowId ?? 'workflow-1', name: 'Test workflow', active: true }),
    getMode: () => options.mode ?? 'webhook',
    getNodeParameter(name: string, itemOrFallback?: unknown, fallback?: unknown) {
      const item = typeof itemOrFallback === 'number' ? itemOrFallback : 0;
      const defaultValue = typeof itemOrFallback === 'number' ? fallback : itemOrFallback;
      const value = lookup({ ...options.parameters, ...options.itemParameters?.[item] }, name);
      return value === undefined ? defaultValue : value;
    },
    async getCredentials(type: string) {
      const credential = options.credentials?.[type];
      if (!credential) throw new Error(`no credential ${type}`);
      return credential;
    },
    logger: { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined },
  };
}

export function executeContext(options: ContextOptions): IExecuteFunctions {
  return {
    ...base(options),
    getInputData: () => options.items ?? [{ json: {} }],
    continueOnFail: () => options.continueOnFail ?? false,
  } as unknown as IExecuteFunctions;
}

export function hookContext(options: ContextOptions): IHookFunctions {
  return base(options) as unknown as IHookFunctions;
}

export interface FakeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}

export function webhookContext(options: ContextOptions & { headers: Record<string, string>; rawBody: Buffer; query?: Record<string, string> }): IWebhookFunctions & { response: FakeResponse } {
  const response: FakeResponse = { statusCode: 200, headers: {} };
  const res = {
    status(code: number) {
      response.statusCode = code;
      return res;
    },
    setHeader(name: string, value: string) {
      response.headers[name.toLowerCase()] = value;
      return res;
    },
    json(body: unknown) {
      response.body = body;
      return res;
    },
  };
  const request = { headers: options.headers, rawBody: options.rawBody, query: options.query ?? {} };
  return { ...base(options), getRequestObject: () => request, getResponseObject: () => res, response } as unknown as IWebhookFunctions & { response: FakeResponse };
}

export function triggerContext(options: ContextOptions): ITriggerFunctions & { emitted: unknown[][][] } {
  const emitted: unknown[][][] = [];
  return { ...base({ mode: 'trigger', ...options }), emit: (data: unknown[][]) => emitted.push(data), emitted } as unknown as ITriggerFunctions & { emitted: unknown[][][] };
}

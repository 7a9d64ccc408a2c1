import { PassThrough } from 'node:stream';
import type { IExecuteFunctions, IHookFunctions, INode, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';

/** Just enough of n8n's node contexts to run the nodes' own code paths against the real core. */
export interface ContextOptions {
  parameters?: Record<string, unknown>;
  /** Per-item parameter overrides, by item index. */
  itemParameters?: Array<Record<string, unknown>>;
  credentials?: Record<string, Record<string, unknown>>;
  items?: Array<{ json: Record<string, unknown>; binary?: Record<string, { data: string; mimeType: string }> }>;
  continueOnFail?: boolean;
  mode?: 'manual' | 'webhook' | 'trigger';
  workflowId?: string;
  nodeId?: string;
  /** The nodes after this one in the workflow (`direct`: wired to one of its outputs). */
  downstream?: Array<{ name: string; type: string; parameters?: Record<string, unknown>; direct?: boolean; disabled?: boolean }>;
}

/** The package's node types as n8n names them. */
export const nodeType = (name: string) => `@intakekit/n8n-nodes-incident-intake.${name}`;

function lookup(source: Record<string, unknown>, name: string): unknown {
  return name.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), source);
}

/** How often nodes resolved their credentials (the expensive part of n8n's node API: a database read and a decryption). */
export const reads = { credentials: 0 };

function base(options: ContextOptions) {
  // The stored parameters and credential references, as n8n hands them over in getNode().
  const credentials = Object.fromEntries(Object.keys(options.credentials ?? {}).map((type) => [type, { id: `${type}-id`, name: type }]));
  const node: INode = { id: options.nodeId ?? 'node-1', name: 'Node under test', type: nodeType('nodeUnderTest'), typeVersion: 1, position: [0, 0], parameters: (options.parameters ?? {}) as INode['parameters'], credentials };
  return {
    getNode: () => node,
    getWorkflow: () => ({ id: options.workflowId ?? 'workflow-1', name: 'Test workflow', active: true }),
    getMode: () => options.mode ?? 'webhook',
    getChildNodes: (name: string, flags?: { includeNodeParameters?: boolean }) =>
      name !== node.name ? [] : (options.downstream ?? []).map((child) => ({ name: child.name, type: child.type, typeVersion: 1, disabled: child.disabled ?? false, ...(flags?.includeNodeParameters && { parameters: child.parameters ?? {} }) })),
    getParentNodes: (name: string) => ((options.downstream ?? []).find((child) => child.name === name)?.direct ? [{ name: node.name, type: node.type, typeVersion: 1, disabled: false }] : []),
    getNodeParameter(name: string, itemOrFallback?: unknown, fallback?: unknown) {
      const item = typeof itemOrFallback === 'number' ? itemOrFallback : 0;
      const defaultValue = typeof itemOrFallback === 'number' ? fallback : itemOrFallback;
      const value = lookup({ ...options.parameters, ...options.itemParameters?.[item] }, name);
      return value === undefined ? defaultValue : value;
    },
    async getCredentials(type: string) {
      reads.credentials++;
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
    // n8n keeps small binary data inline, base64 in `data`, as here.
    helpers: {
      getBinaryDataBuffer: async (item: number, property: string) => Buffer.from(options.items?.[item]?.binary?.[property]?.data ?? '', 'base64'),
    },
  } as unknown as IExecuteFunctions;
}

export function hookContext(options: ContextOptions): IHookFunctions {
  return base(options) as unknown as IHookFunctions;
}

export interface FakeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
  /** Resolves once the answer has ended. */
  ended: Promise<void>;
}

export interface WebhookRequestOptions {
  headers: Record<string, string | string[]>;
  rawBody: Buffer;
  query?: Record<string, string>;
  /**
   * `stream` (default): the body is still unread, as n8n leaves it for the trigger (its hidden
   * options.binaryData); `read-by-n8n`: n8n has read it into req.rawBody first (a node saved with its own
   * `options` value).
   */
  body?: 'stream' | 'read-by-n8n';
}

/** An Express-like request over a real stream, and a response that records what the node wrote. */
export function webhookContext(options: ContextOptions & WebhookRequestOptions): IWebhookFunctions & { response: FakeResponse } {
  let end!: () => void;
  const response: FakeResponse = { statusCode: 200, headers: {}, ended: new Promise((resolve) => (end = resolve)) };
  const headersDistinct = Object.fromEntries(Object.entries(options.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value : [value]]));
  const headers = Object.fromEntries(Object.entries(headersDistinct).map(([name, values]) => [name, values.join(', ')]));
  const request = Object.assign(new PassThrough(), { headers, headersDistinct, url: `/webhook/test${options.query ? `?${new URLSearchParams(options.query)}` : ''}`, method: 'POST' });
  if (options.body === 'read-by-n8n') {
    Object.assign(request, { rawBody: options.rawBody });
    request.end();
    request.resume();
  } else {
    request.end(options.rawBody);
  }
  const chunks: Buffer[] = [];
  const res = {
    req: request,
    headersSent: false,
    set statusCode(code: number) {
      response.statusCode = code;
    },
    get statusCode() {
      return response.statusCode;
    },
    setHeader(name: string, value: string | number) {
      response.headers[name.toLowerCase()] = String(value);
      return res;
    },
    write(chunk: string | Buffer) {
      res.headersSent = true;
      chunks.push(Buffer.from(chunk));
      return true;
    },
    end(chunk?: string | Buffer) {
      if (chunk !== undefined) res.write(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      response.body = text.startsWith('{') ? JSON.parse(text) : text;
      end();
      return res;
    },
  };
  return { ...base(options), getRequestObject: () => request, getResponseObject: () => res, response } as unknown as IWebhookFunctions & { response: FakeResponse };
}

export function triggerContext(options: ContextOptions): ITriggerFunctions & { emitted: unknown[][][] } {
  const emitted: unknown[][][] = [];
  return { ...base({ mode: 'trigger', ...options }), emit: (data: unknown[][]) => emitted.push(data), emitted } as unknown as ITriggerFunctions & { emitted: unknown[][][] };
}

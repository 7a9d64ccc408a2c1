import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { Console } from '../../core/console';
import { redactText } from '../../core/delivery/redact';
import { storeLocation, storeSecrets, type StoreCredential } from '../shared/store-location';
import { consoleRuntime, type ConsoleRuntimeInput } from './console-runtime';

type Context = IHookFunctions | IWebhookFunctions;

const PATH = /^[A-Za-z0-9_-]{1,64}$/;

/** Where the console lives as the browser sees it: `<webhook root>/<webhook id>/<path>`, and its scheme. */
function location(context: Context): { basePath: string; path: string; webhookId: string; secure: boolean } {
  const path = String(context.getNodeParameter('path', 'console')).trim();
  if (!PATH.test(path)) throw new Error('the console path must be one segment of letters, digits, dash or underscore');
  const webhookId = context.getNode().webhookId;
  if (!webhookId) throw new Error('the node has no webhook id; add it again from the nodes panel');
  const entry = new URL(context.getNodeWebhookUrl('default') ?? `http://localhost/webhook/${path}`);
  const root = entry.pathname.replace(/\/+$/, '').slice(0, -path.length).replace(/\/+$/, '');
  return { basePath: `${root}/${webhookId}/${path}`, path, webhookId, secure: entry.protocol === 'https:' };
}

/** `webhook:ops-receiver, incident-io:prod` → destinations; a malformed entry is a clear error. */
export function deliveryTargets(text: string): Array<{ kind: string; id: string }> {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const match = /^([a-z][a-z0-9-]*):(\S+)$/.exec(entry);
      if (!match) throw new Error(`"Deliver Promoted Incidents To" takes KIND:ID entries, e.g. webhook:ops-receiver (got "${entry.slice(0, 100)}")`);
      return { kind: match[1]!, id: match[2]! };
    });
}

export interface ConsoleInput {
  input: ConsoleRuntimeInput;
  path: string;
  webhookId: string;
  open(): Promise<Console>;
}

/** The node's path and credentials, read into what its console is built from. */
export async function consoleInput(context: Context, key: string): Promise<ConsoleInput> {
  const where = location(context);
  const store = (await context.getCredentials('incidentIntakeStoreApi')) as StoreCredential;
  const users = (await context.getCredentials('incidentIntakeConsoleUsersApi')) as { users?: string };
  const deliverTo = deliveryTargets(String(context.getNodeParameter('deliverTo', '') ?? ''));
  const input: ConsoleRuntimeInput = { key, location: storeLocation(store), usersText: users.users ?? '', basePath: where.basePath, secureCookies: where.secure, deliverTo };
  return {
    input,
    path: where.path,
    webhookId: where.webhookId,
    open: () =>
      consoleRuntime(input).catch((error: unknown) => {
        throw new Error(`Incident Intake Console: ${redactText(error instanceof Error ? error.message : String(error), storeSecrets(store))}`);
      }),
  };
}

type Request = ReturnType<IWebhookFunctions['getRequestObject']> & { originalUrl?: string };

/**
 * The part of the request path below the console's base, as n8n received it (a proxy in front may have
 * removed a prefix the browser sees), or undefined when the path is not under this console.
 */
function below(request: Request, webhookId: string, path: string): string | undefined {
  const target = request.originalUrl ?? request.url ?? '/';
  const marker = `/${webhookId}/${path}`;
  const at = target.indexOf(marker);
  if (at === -1) return undefined;
  const rest = target.slice(at + marker.length);
  return rest === '' || rest.startsWith('/') || rest.startsWith('?') ? rest : undefined;
}

function plain(response: ReturnType<IWebhookFunctions['getResponseObject']>, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  response.end(text);
}

/**
 * Answers one console request itself and starts nothing. The static entry (`/webhook/<path>`) points the
 * browser at the console's base; every page below it goes to the core console with the request's path
 * rewritten onto that base.
 */
export async function answerConsole(context: IWebhookFunctions, key: string): Promise<void> {
  const request = context.getRequestObject() as Request;
  const response = context.getResponseObject();
  let resolved: ConsoleInput;
  let console: Console;
  try {
    resolved = await consoleInput(context, key);
    console = await resolved.open();
  } catch (error) {
    context.logger.error(error instanceof Error ? error.message : String(error));
    request.resume();
    plain(response, 503, 'The console is not available: check the node\'s credentials (see the n8n log).', { 'Retry-After': '30' });
    return;
  }
  const { basePath } = resolved.input;
  if (context.getWebhookName() === 'default') {
    response.writeHead(303, { Location: basePath, 'Cache-Control': 'no-store' });
    response.end();
    return;
  }
  const rest = below(request, resolved.webhookId, resolved.path);
  if (rest === undefined) {
    request.resume();
    plain(response, 404, 'Not found.');
    return;
  }
  request.url = `${basePath}${rest}`;
  try {
    await console.handle(request, response);
  } catch (error) {
    context.logger.error(`Incident Intake Console: ${error instanceof Error ? error.message : String(error)}`);
    if (!response.headersSent) plain(response, 500, 'The console could not answer.');
    else response.end();
  }
}

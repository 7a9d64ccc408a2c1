import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createConsole, type Console, type ConsolePrincipal } from '../../core/console';
import { CONSOLE_STYLES } from '../../core/console/assets';
import { pendingWork } from '../../core/operations/pending-work';
import type { IntakeStoreNode } from '../shared/intake-store-settings';
import type { NodeAPI } from '../shared/node-red-types';
import { requestPath } from '../shared/request-path';
import { redacting } from '../shared/store-error-text';
import { consoleRolesFor } from './console-roles';
import { deployedStore, deployedStores } from './deployed-stores';
import { editorThemeStylesheet } from './editor-theme';
import { flowTenants } from './flow-tenants';
import { promotionTargets } from './review-targets';
import type { DeliveryTarget } from '../../core/delivery/delivery-target';

/** Under the editor's admin root: the editor's endpoints, the theme and one console per deployed store. */
export const CONSOLE_ROOT = '/incident-intake/console';
const STORE_PREFIX = `${CONSOLE_ROOT}/store/`;

type Request = IncomingMessage & { originalUrl?: string; user?: { username?: string }; authInfo?: { scope?: unknown }; body?: unknown; _body?: boolean };
type Response = ServerResponse & { status(code: number): Response; json(body: unknown): void; type?(value: string): Response };

const consoles = new Map<string, { node: IntakeStoreNode; console: Console; deliverTo: DeliveryTarget[] }>();
const mountedOn = new WeakSet<object>();

function adminRoot(RED: NodeAPI): string {
  const root = (RED.settings as { httpAdminRoot?: string | false }).httpAdminRoot;
  return String(root || '/').replace(/\/+$/, '');
}

/** Where a store's console lives, as the browser sees it (admin root included). */
export function consoleBasePath(RED: NodeAPI, storeId: string): string {
  return `${adminRoot(RED)}${STORE_PREFIX}${encodeURIComponent(storeId)}`;
}

function consoleFor(RED: NodeAPI, node: IntakeStoreNode): Promise<Console> {
  const existing = consoles.get(node.id);
  if (existing?.node === node) return Promise.resolve(existing.console);
  return node.store().then((store) => {
    const current = consoles.get(node.id);
    if (current?.node === node) return current.console;
    // The console reads this list on every request; it is refilled in place whenever flows start.
    const deliverTo = promotionTargets(RED, node.id);
    const created = createConsole({
      store,
      basePath: consoleBasePath(RED, node.id),
      secureCookies: Boolean((RED.settings as { https?: unknown }).https),
      deliverTo,
    });
    consoles.set(node.id, { node, console: created, deliverTo });
    return created;
  });
}

/** Called when a store node closes (redeploy, stop): its console's sessions end with it. */
export async function closeConsoleOf(node: IntakeStoreNode): Promise<void> {
  const entry = consoles.get(node.id);
  if (entry?.node !== node) return;
  consoles.delete(node.id);
  await entry.console.close();
}

/**
 * The signed-in editor user as a console principal. With `adminAuth` off Node-RED lets everyone do
 * everything, and so does the console; with it on, the package's permission scopes decide.
 */
function principalOf(request: Request): ConsolePrincipal | undefined {
  if (!request.user) return { id: 'node-red', name: 'Node-RED editor', roles: ['admin'], tenants: '*' };
  const roles = consoleRolesFor(request.authInfo?.scope);
  if (roles.length === 0) return undefined;
  const username = String(request.user.username ?? 'unknown');
  return { id: `node-red:${username}`, name: username, roles, tenants: '*' };
}

function fail(response: Response, status: number, error: string): void {
  response.status(status).json({ error });
}

/** The store a console URL names: `/incident-intake/console/store/<id>/…`, as Express hands it after the mount. */
function storeIdOf(url: string | undefined): string | undefined {
  const path = requestPath(url);
  const segment = path?.split('/')[1];
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Node-RED's admin app parses JSON and form bodies before any route runs; the console reads its forms
 * itself (under its own cap), so its POSTs are marked parsed on the HTTP server, ahead of Express, and
 * every body parser downstream leaves them alone.
 */
function keepConsoleBodiesRaw(RED: NodeAPI): void {
  const server = (RED as unknown as { server?: Server }).server;
  if (!server) return;
  const prefix = `${adminRoot(RED)}${STORE_PREFIX}`.toLowerCase();
  server.prependListener('request', (request: Request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request._body) return;
    if (requestPath(request.url)?.toLowerCase().startsWith(prefix)) request._body = true;
  });
}

async function serveConsole(RED: NodeAPI, request: Request, response: Response): Promise<void> {
  const id = storeIdOf(request.url);
  const node = id === undefined ? undefined : deployedStore(id);
  if (!node) {
    request.resume();
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end('This intake store is not deployed (any more). Open the console again from the Node-RED editor\'s "incident intake" sidebar.');
    return;
  }
  const console = await redacting(consoleFor(RED, node), node);
  // Express strips the mount path; the console routes on the whole path under its base.
  request.url = request.originalUrl ?? request.url;
  if (requestPath(request.url) === `${consoleBasePath(RED, node.id)}/assets/console.css`) return sendThemedStyles(RED, response);
  await redacting(console.handle(request, response), node);
}

/**
 * The console's stylesheet with the editor's theme after it: the same rules, the editor's colours. (The
 * console has no per-host stylesheet option; answering its one stylesheet here keeps the console's CSP,
 * `style-src 'self'`, and changes nothing in the core.)
 */
function sendThemedStyles(RED: NodeAPI, response: Response): void {
  response.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'private, max-age=300', 'X-Content-Type-Options': 'nosniff' });
  response.end(`${CONSOLE_STYLES}\n${editorThemeStylesheet(RED)}`);
}

async function storesSummary(RED: NodeAPI) {
  const tenants = flowTenants(RED);
  return Promise.all(
    deployedStores().map(async (node) => {
      const base = { id: node.id, label: node.label };
      try {
        return { ...base, pending: await pendingWork(await node.store(), tenants) };
      } catch {
        return { ...base, problem: 'the store cannot be opened' };
      }
    }),
  );
}

/** Registers the console's routes on the editor's admin app, once per runtime. */
export function mountConsole(RED: NodeAPI): void {
  const admin = RED.httpAdmin as unknown as { get: Function; post: Function; use: Function };
  if (mountedOn.has(admin)) return;
  mountedOn.add(admin);
  keepConsoleBodiesRaw(RED);
  // A deploy that rewires review and delivery nodes without restarting the store changes where promotions go.
  RED.events.on('flows:started', () => {
    for (const [storeId, entry] of consoles) entry.deliverTo.splice(0, entry.deliverTo.length, ...promotionTargets(RED, storeId));
  });
  // Any signed-in editor user may ask; what they get depends on their scopes (none: 403).
  const signedIn = RED.auth.needsPermission('');

  admin.get(`${CONSOLE_ROOT}/stores`, signedIn, (request: Request, response: Response) => {
    const principal = principalOf(request);
    if (!principal) return fail(response, 403, 'your Node-RED user has no incident-intake permission');
    storesSummary(RED).then(
      (stores) => response.json({ roles: principal.roles, stores }),
      () => fail(response, 500, 'the stores could not be read'),
    );
  });

  admin.post(`${CONSOLE_ROOT}/tickets`, signedIn, (request: Request, response: Response) => {
    const principal = principalOf(request);
    if (!principal) return fail(response, 403, 'your Node-RED user has no incident-intake permission');
    const storeId = (request.body as { store?: unknown } | undefined)?.store;
    const node = typeof storeId === 'string' ? deployedStore(storeId) : deployedStores()[0];
    if (!node) return fail(response, 404, typeof storeId === 'string' ? 'that intake store is not deployed' : 'no intake store is deployed yet');
    consoleFor(RED, node).then(
      (console) => response.json({ url: `${consoleBasePath(RED, node.id)}/sign-in/ticket?t=${encodeURIComponent(console.issueTicket(principal))}` }),
      () => fail(response, 503, 'the intake store cannot be opened'),
    );
  });

  // Opened directly (a bookmark, an old tab): the way in is through the editor, which signs the user in.
  admin.get(CONSOLE_ROOT, (_request: Request, response: Response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end('Open the incident intake console from the Node-RED editor: the "incident intake" sidebar tab lists the deployed intake stores and opens their console.');
  });

  admin.use(`${CONSOLE_ROOT}/store`, (request: Request, response: Response) => {
    serveConsole(RED, request, response).catch((error: unknown) => {
      RED.log.error(`incident-intake console: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) {
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('The console could not answer.');
      } else response.end();
    });
  });
}

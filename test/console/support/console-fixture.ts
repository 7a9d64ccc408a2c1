import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsole, hashConsolePassword, type Console, type ConsoleRole, type ConsoleUserDirectory } from '../../../core/console';
import type { Store } from '../../../core/store';
import type { DeliveryRecord } from '../../../core/store/delivery-records';

export const PASSWORD = 'correct horse battery staple';
export const ROLES: readonly ConsoleRole[] = ['viewer', 'reviewer', 'operator', 'admin'];

let cachedHash: Promise<string> | undefined;

/** One user per role (id = role name), all in tenant acme; hashing is slow by design, so it is done once. */
export async function usersByRole(extra: ConsoleUserDirectory['users'] = []): Promise<ConsoleUserDirectory> {
  cachedHash ??= hashConsolePassword(PASSWORD);
  const passwordHash = await cachedHash;
  return { users: [...ROLES.map((role) => ({ id: role, name: `The ${role}`, roles: [role], tenants: ['acme'], passwordHash })), ...extra], apiTokens: [] };
}

export interface ConsoleServer {
  url: string;
  console: Console;
  server: Server;
  close(): Promise<void>;
}

export async function startConsole(store: Store, users: ConsoleUserDirectory, basePath = '', now?: () => number): Promise<ConsoleServer> {
  const consoleApp = createConsole({ store, basePath, users, ...(now ? { now } : {}) });
  const server = createServer((request, response) => void consoleApp.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    console: consoleApp,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await consoleApp.close();
    },
  };
}

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

/** A browser-like client: keeps cookies, reads the CSRF token from the last page, never follows redirects. */
export class ConsoleClient {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const equals = pair!.indexOf('=');
      const name = pair!.slice(0, equals);
      const value = pair!.slice(equals + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(this.base + path, { redirect: 'manual', headers: { cookie: this.cookieHeader, ...headers } });
    this.remember(response.headers);
    const text = await response.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
    if (csrf) this.csrf = csrf;
    return { status: response.status, text, headers: response.headers };
  }

  async post(path: string, form: Record<string, string>, options: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
    const body = new URLSearchParams(form);
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.set('csrf', csrf);
    const response = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader, ...options.headers },
    });
    this.remember(response.headers);
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  async signIn(user: string, password = PASSWORD): Promise<Answer> {
    const form = await this.get('/sign-in');
    const pre = /name="pre" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const answer = await this.post('/sign-in', { pre, user, password }, { csrf: null });
    if (answer.status === 303) await this.get('/queue');
    return answer;
  }
}

export async function signedIn(base: string, user: string): Promise<ConsoleClient> {
  const client = new ConsoleClient(base);
  const answer = await client.signIn(user);
  if (answer.status !== 303) throw new Error(`sign-in as ${user} answered ${answer.status}`);
  return client;
}

/** A dead-lettered delivery, written straight into the outbox as a worker would have left it. */
export async function seedDeadLetter(store: Store, tenant: string, destinationId: string, incidentId: string, id: string, at: number, lastError = 'http_503'): Promise<void> {
  const delivery: DeliveryRecord = {
    id,
    tenant,
    destinationId,
    incidentId,
    eventVersion: 1,
    eventKind: 'incident.created',
    idempotencyKey: `key-${id}`,
    payload: {},
    state: 'dead_letter',
    attempts: 3,
    totalAttempts: 3,
    replays: 0,
    nextAttemptAt: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    lastStatus: 503,
    lastError,
    remoteId: null,
    createdAt: at,
    updatedAt: at,
    deliveredAt: null,
    deadLetteredAt: at,
  };
  await store.transaction(async (r) => {
    await r.destinations.ensure(tenant, destinationId, 'webhook', at);
    await r.deliveries.insert(delivery);
    await r.deliveryAttempts.insert({ deliveryId: id, number: 1, tenant, destinationId, startedAt: at, durationMs: 12, httpStatus: 503, outcome: 'retry', reason: 'http_503', summary: { status: 503, body: 'upstream busy' } });
  });
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors';
import type { Store } from '../store/store';
import { CONSOLE_SCRIPT, CONSOLE_STYLES } from './assets';
import { linkFor, permissionCheck, type PageContext } from './context';
import { html } from './html';
import { HttpError, clientAddress, cookie, cookiesOf, isCrossSite, readForm, redirect, sendAsset, sendHtml, sendJson } from './http';
import { CONSOLE_ROUTES } from './route-list';
import { RouteTable } from './routes';
import { mayUseTenant, type ConsolePrincipal } from './roles';
import { SessionBook, SignInLimiter, type ConsoleSession } from './sessions';
import { signInPage } from './pages/sign-in';
import { verifyConsolePassword, type ConsoleUserDirectory } from './users';
import { handleApi } from './api';

export interface ConsoleOptions {
  store: Store;
  /** Mount point, e.g. '/incident-intake/console' ('' for the CLI root). */
  basePath: string;
  /** Built-in sign-in (CLI, n8n): hashed passwords; without it only host tickets sign in. */
  users?: ConsoleUserDirectory;
  /** Secure on cookies behind HTTPS. */
  secureCookies?: boolean;
  now?: () => number;
  /**
   * Destinations a promotion enqueues the incident for, as the host's review node would (same transaction).
   * A target without a tenant applies to every tenant.
   */
  deliverTo?: ReadonlyArray<{ id: string; kind: string; tenant?: string }>;
}

export interface Console {
  /** Answers every request under basePath. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** A one-time, short-lived ticket; GET `${basePath}/sign-in/ticket?t=…` exchanges it for a session. */
  issueTicket(principal: ConsolePrincipal): string;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'ii_console';
const PRE_COOKIE = 'ii_console_pre';
/** A hash to compare against when the user name is unknown, so both cases take the same time. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function createConsole(options: ConsoleOptions): Console {
  const base = options.basePath.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const sessions = new SessionBook(now);
  const userLimiter = new SignInLimiter(now, 5);
  const addressLimiter = new SignInLimiter(now, 30);
  const routes = new RouteTable(CONSOLE_ROUTES);
  const secure = options.secureCookies === true;
  const cookiePath = base || '/';
  const link = linkFor(base);

  const sessionCookie = (value: string, maxAgeSeconds?: number) => cookie(SESSION_COOKIE, value, { path: cookiePath, secure, maxAgeSeconds });

  async function tenantsOf(principal: ConsolePrincipal): Promise<string[]> {
    if (principal.tenants !== '*') return principal.tenants;
    const known = await options.store.transaction((r) => r.console.tenants());
    return known.length ? known : ['default'];
  }

  async function signIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (isCrossSite(request)) throw new HttpError(403, 'a sign-in from another site is refused');
    const form = await readForm(request);
    const pre = cookiesOf(request)[PRE_COOKIE];
    if (!sameText(pre, form.get('pre'))) return showSignIn(response, 403, 'The sign-in form expired; please try again.');
    const userName = (form.get('user') ?? '').trim().slice(0, 100);
    const userKey = [userName.toLowerCase()];
    const addressKey = [clientAddress(request)];
    const wait = Math.max(userLimiter.retryAfter(userKey), addressLimiter.retryAfter(addressKey));
    if (wait > 0) return showSignIn(response, 429, `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} min.`, { 'Retry-After': String(wait) });
    const user = options.users?.users.find((candidate) => candidate.id === userName);
    const valid = await verifyConsolePassword(form.get('password') ?? '', user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid) {
      userLimiter.fail(userKey);
      addressLimiter.fail(addressKey);
      return showSignIn(response, 401, 'Unknown user or wrong password.');
    }
    userLimiter.succeed(userKey);
    const session = sessions.open({ id: user.id, name: user.name, roles: [...user.roles], tenants: user.tenants === '*' ? '*' : [...user.tenants] });
    redirect(response, link('/queue'), { 'Set-Cookie': [sessionCookie(session.id), cookie(PRE_COOKIE, '', { path: cookiePath, secure, maxAgeSeconds: 0 })] });
  }

  /** The sign-in form's token, kept while its cookie lives (a second tab or a favicon fetch must not void the first form). */
  function showSignIn(response: ServerResponse, status: number, error?: string, headers: Record<string, string> = {}): void {
    const existing = response.req ? cookiesOf(response.req)[PRE_COOKIE] : undefined;
    const preToken = existing && /^[A-Za-z0-9_-]{32}$/.test(existing) ? existing : randomBytes(24).toString('base64url');
    sendHtml(response, status, signInPage(base, { error, preToken, builtIn: options.users !== undefined }), {
      ...headers,
      'Set-Cookie': cookie(PRE_COOKIE, preToken, { path: cookiePath, secure, maxAgeSeconds: 600 }),
    });
  }

  function redeemTicket(url: URL, response: ServerResponse): void {
    const principal = sessions.redeemTicket(url.searchParams.get('t') ?? '');
    if (!principal) return showSignIn(response, 403, 'That sign-in link has expired or was already used.');
    const session = sessions.open(principal);
    redirect(response, link('/queue'), { 'Set-Cookie': sessionCookie(session.id) });
  }

  async function contextFor(request: IncomingMessage, response: ServerResponse, url: URL, session: ConsoleSession): Promise<PageContext> {
    const tenants = await tenantsOf(session.principal);
    if (!session.tenant || !tenants.includes(session.tenant)) session.tenant = tenants[0]!;
    return {
      request,
      response,
      url,
      base,
      store: options.store,
      now: now(),
      session,
      principal: session.principal,
      tenant: session.tenant,
      tenants,
      form: new URLSearchParams(),
      params: {},
      may: permissionCheck(session.principal),
      link,
      deliverTo: (options.deliverTo ?? []).filter((target) => (target.tenant ?? session.tenant) === session.tenant).map((target) => ({ id: target.id, kind: target.kind, tenant: session.tenant! })),
    };
  }

  async function route(request: IncomingMessage, response: ServerResponse, url: URL, path: string): Promise<void> {
    if (path === '/assets/console.js') return sendAsset(response, 'text/javascript', CONSOLE_SCRIPT);
    if (path === '/assets/console.css') return sendAsset(response, 'text/css', CONSOLE_STYLES);
    if (path === '/sign-in' && request.method === 'GET') return showSignIn(response, 200);
    if (path === '/sign-in' && request.method === 'POST') return signIn(request, response);
    if (path === '/sign-in/ticket' && request.method === 'GET') return redeemTicket(url, response);
    const session = sessions.find(cookiesOf(request)[SESSION_COOKIE]);
    if (path.startsWith('/api/')) return handleApi({ request, response, url, path, store: options.store, now: now(), session, fileTokens: options.users?.apiTokens ?? [], tenantsOf });
    if (!session) {
      if (request.method === 'GET') return redirect(response, link('/sign-in'));
      throw new HttpError(401, 'sign in first');
    }
    if (path === '' || path === '/') return redirect(response, link('/queue'));
    const found = routes.match(request.method ?? 'GET', path);
    if (found === undefined) throw new HttpError(404, 'there is no such page');
    if (found === 'methodMismatch') throw new HttpError(405, 'that method is not allowed here');
    const context = await contextFor(request, response, url, session);
    context.params = found.params;
    if (found.route.method === 'POST') {
      if (isCrossSite(request)) throw new HttpError(403, 'a write from another site is refused');
      context.form = await readForm(request);
      if (!sameText(context.form.get('csrf'), session.csrf)) throw new HttpError(403, 'the form is missing its CSRF token or it does not belong to this session; reload the page');
    }
    if (!context.may(found.route.permission)) throw new HttpError(403, `your role (${session.principal.roles.join(', ')}) may not do this`);
    if (path === '/sign-out') {
      sessions.end(session.id);
      return redirect(response, link('/sign-in'), { 'Set-Cookie': sessionCookie('', 0) });
    }
    if (path === '/tenant') {
      const tenant = context.form.get('tenant') ?? '';
      if (!mayUseTenant(session.principal, tenant) || !context.tenants.includes(tenant)) throw new HttpError(403, 'you may not see that tenant');
      session.tenant = tenant;
      const back = context.form.get('back') ?? '/queue';
      return redirect(response, link(/^\/[a-z-]*$/.test(back) ? back : '/queue'));
    }
    await found.route.handle(context);
  }

  return {
    async handle(request, response) {
      try {
        const url = new URL(request.url ?? '/', 'http://console.local');
        if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) throw new HttpError(404, 'not a console address');
        await route(request, response, url, url.pathname.slice(base.length));
      } catch (error) {
        answerError(response, error, link('/queue'));
      }
    },
    issueTicket: (principal) => sessions.issueTicket(principal),
    async close() {
      sessions.clear();
    },
  };
}

function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof InvalidRequestError) return 400;
  return 500;
}

/** Errors become a short page; an unexpected one is not described (it may carry store internals). */
function answerError(response: ServerResponse, error: unknown, home: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const status = statusOf(error);
  const message = status === 500 ? 'The console could not answer this request; the details are in the host log.' : (error as Error).message;
  if (status === 500) console.error(`incident-intake console: ${error instanceof Error ? error.message : String(error)}`);
  const headers = error instanceof HttpError ? error.headers : {};
  if ((response.req?.url ?? '').includes('/api/')) return sendJson(response, status, { error: message }, headers);
  sendHtml(response, status, html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status}</title></head><body><main><h1>${status}</h1><p>${message}</p><p><a href="${home}">back to the console</a></p></main></body></html>`, headers);
}

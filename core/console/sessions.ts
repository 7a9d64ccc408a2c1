import { randomBytes } from 'node:crypto';
import type { ConsolePrincipal } from './roles';

export interface ConsoleSession {
  id: string;
  principal: ConsolePrincipal;
  /** Sent with every form; a write without it (or with another session's) is refused. */
  csrf: string;
  tenant: string | null;
  expiresAt: number;
  /** A message for the next page shown (the result of a write that redirected). */
  flash?: { kind: 'info' | 'error'; text: string };
}

const SESSION_MS = 8 * 3_600_000;
const TICKET_MS = 60_000;
const MAX_SESSIONS = 10_000;

const token = () => randomBytes(32).toString('base64url');

/** Sessions and one-time sign-in tickets, kept in memory: a restarted console signs everyone out. */
export class SessionBook {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly tickets = new Map<string, { principal: ConsolePrincipal; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  open(principal: ConsolePrincipal): ConsoleSession {
    this.sweep();
    const session: ConsoleSession = { id: token(), principal, csrf: token(), tenant: null, expiresAt: this.now() + SESSION_MS };
    this.sessions.set(session.id, session);
    return session;
  }

  find(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  issueTicket(principal: ConsolePrincipal): string {
    this.sweep();
    const ticket = token();
    this.tickets.set(ticket, { principal, expiresAt: this.now() + TICKET_MS });
    return ticket;
  }

  /** A ticket works once, within a minute of being issued. */
  redeemTicket(ticket: string): ConsolePrincipal | undefined {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return entry && entry.expiresAt > this.now() ? entry.principal : undefined;
  }

  clear(): void {
    this.sessions.clear();
    this.tickets.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt <= now) this.tickets.delete(ticket);
    if (this.sessions.size < MAX_SESSIONS) return;
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
    // Still full: the oldest sessions go first (Map keeps insertion order).
    for (const id of this.sessions.keys()) {
      if (this.sessions.size < MAX_SESSIONS) break;
      this.sessions.delete(id);
    }
  }
}

/** Failed sign-ins per user name and per client address; after too many in the window, sign-in waits. */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Seconds until another attempt is allowed for any of the keys, or 0. */
  retryAfter(keys: readonly string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const recent = (this.failures.get(key) ?? []).filter((at) => at > now - this.windowMs);
      this.failures.set(key, recent);
      if (recent.length >= this.maxFailures) wait = Math.max(wait, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    return wait;
  }

  fail(keys: readonly string[]): void {
    if (this.failures.size > 50_000) this.failures.clear();
    for (const key of keys) this.failures.set(key, [...(this.failures.get(key) ?? []), this.now()].slice(-this.maxFailures));
  }

  succeed(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }
}

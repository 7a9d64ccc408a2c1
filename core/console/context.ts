import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliveryTarget } from '../delivery/delivery-target';
import type { Store } from '../store/store';
import type { ConsolePrincipal, Permission } from './roles';
import { may } from './roles';
import type { ConsoleSession } from './sessions';

/** Everything a page handler needs about one request. */
export interface PageContext {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** The mount point, without a trailing slash ('' at the root). */
  base: string;
  store: Store;
  now: number;
  session: ConsoleSession;
  principal: ConsolePrincipal;
  /** The tenant every query of this request is limited to. */
  tenant: string;
  /** Tenants the principal may switch to. */
  tenants: string[];
  /** The submitted form of a POST (CSRF already checked). */
  form: URLSearchParams;
  params: Record<string, string>;
  /** Whether the principal may do it: pages show only the controls this allows. */
  may(permission: Permission): boolean;
  /** Destinations a promotion in this tenant enqueues the incident for. */
  deliverTo: DeliveryTarget[];
  /** A link inside the console. */
  link(path: string, query?: Record<string, string | number | undefined>): string;
}

export function linkFor(base: string) {
  return (path: string, query: Record<string, string | number | undefined> = {}): string => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(key, String(value));
    const text = search.toString();
    return `${base}${path}${text ? `?${text}` : ''}`;
  };
}

export function permissionCheck(principal: ConsolePrincipal) {
  return (permission: Permission) => may(principal, permission);
}

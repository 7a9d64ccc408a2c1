import type { Route } from './routes';
import { bulkReject, bulkRejectPage, decideEvent, eventDetailPage, queuePage } from './pages/queue';

/** Noop handlers for routes the console itself answers before the table (sign-out, tenant switch). */
const handledByConsole = async () => {};

/** Every page and write of the console, with the permission it needs (the role matrix test walks this list). */
export const CONSOLE_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/queue', permission: 'read', handle: queuePage },
  { method: 'GET', path: '/queue/bulk-reject', permission: 'review', handle: bulkRejectPage },
  { method: 'POST', path: '/queue/bulk-reject', permission: 'review', handle: bulkReject },
  { method: 'GET', path: '/events/:id', permission: 'read', handle: eventDetailPage },
  { method: 'POST', path: '/events/:id/promote', permission: 'review', handle: (context) => decideEvent(context, 'promote') },
  { method: 'POST', path: '/events/:id/reject', permission: 'review', handle: (context) => decideEvent(context, 'reject') },
  { method: 'POST', path: '/tenant', permission: 'read', handle: handledByConsole },
  { method: 'POST', path: '/sign-out', permission: 'read', handle: handledByConsole },
];

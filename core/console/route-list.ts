import type { Route } from './routes';
import { apiTokensPage, issueApiToken, revokeToken } from './pages/api-tokens';
import { auditPage } from './pages/audit';
import { changeDestination, deliveriesPage, deliveryDetailPage, replayConfirmPage, replayMatching, replayOne } from './pages/deliveries';
import { incidentDetailPage, incidentsPage } from './pages/incidents';
import { quarantinePage } from './pages/quarantine';
import { bulkReject, bulkRejectPage, decideEvent, eventDetailPage, queuePage } from './pages/queue';
import { changeSource, sourcesPage } from './pages/sources';
import { workbenchPage, workbenchPreview } from './pages/workbench';

/** Routes the console answers itself before the table (sign-out, tenant switch); listed for their permission. */
const handledByConsole = async () => {};

/** Every page and write of the console with the permission it needs; the role matrix test walks this list. */
export const CONSOLE_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/queue', permission: 'read', handle: queuePage },
  { method: 'GET', path: '/queue/bulk-reject', permission: 'review', handle: bulkRejectPage },
  { method: 'POST', path: '/queue/bulk-reject', permission: 'review', handle: bulkReject },
  { method: 'GET', path: '/events/:id', permission: 'read', handle: eventDetailPage },
  { method: 'POST', path: '/events/:id/promote', permission: 'review', handle: (context) => decideEvent(context, 'promote') },
  { method: 'POST', path: '/events/:id/reject', permission: 'review', handle: (context) => decideEvent(context, 'reject') },
  { method: 'GET', path: '/quarantine', permission: 'read', handle: quarantinePage },
  { method: 'GET', path: '/sources', permission: 'read', handle: sourcesPage },
  { method: 'POST', path: '/sources/:id/enable', permission: 'operate', handle: (context) => changeSource(context, 'enable') },
  { method: 'POST', path: '/sources/:id/disable', permission: 'operate', handle: (context) => changeSource(context, 'disable') },
  { method: 'GET', path: '/workbench', permission: 'read', handle: workbenchPage },
  { method: 'POST', path: '/workbench/preview', permission: 'read', handle: workbenchPreview },
  { method: 'GET', path: '/deliveries', permission: 'read', handle: deliveriesPage },
  { method: 'GET', path: '/deliveries/replay', permission: 'operate', handle: replayConfirmPage },
  { method: 'POST', path: '/deliveries/replay', permission: 'operate', handle: replayMatching },
  { method: 'GET', path: '/deliveries/:id', permission: 'read', handle: deliveryDetailPage },
  { method: 'POST', path: '/deliveries/:id/replay', permission: 'operate', handle: replayOne },
  { method: 'POST', path: '/destinations/:id/enable', permission: 'operate', handle: (context) => changeDestination(context, 'enable') },
  { method: 'POST', path: '/destinations/:id/disable', permission: 'operate', handle: (context) => changeDestination(context, 'disable') },
  { method: 'GET', path: '/incidents', permission: 'read', handle: incidentsPage },
  { method: 'GET', path: '/incidents/:id', permission: 'read', handle: incidentDetailPage },
  { method: 'GET', path: '/audit', permission: 'read', handle: auditPage },
  { method: 'GET', path: '/api-tokens', permission: 'admin', handle: apiTokensPage },
  { method: 'POST', path: '/api-tokens', permission: 'admin', handle: issueApiToken },
  { method: 'POST', path: '/api-tokens/:id/revoke', permission: 'admin', handle: revokeToken },
  { method: 'POST', path: '/tenant', permission: 'read', handle: handledByConsole },
  { method: 'POST', path: '/sign-out', permission: 'read', handle: handledByConsole },
];

import { getIncident } from '../../incidents/incident-queries';
import type { Deadline } from '../../regulatory/deadlines';
import type { IncidentRecord } from '../../store/records';
import type { PageContext } from '../context';
import { decodeCursor } from '../cursor';
import { html, type SafeHtml } from '../html';
import { sendHtml } from '../http';
import { copyable, page, pager, time } from '../layout';
import { incidentPage, nextReportDue } from '../queries';
import { auditTable } from './queue';

function classification(incident: IncidentRecord): SafeHtml {
  const parts = [incident.doraMajor ? 'DORA major' : '', incident.nis2Significant ? 'NIS2 significant' : ''].filter(Boolean);
  return parts.length ? html`${parts.join(' · ')}` : html`<span class="muted">not classified</span>`;
}

/** "due in 3 h 20 min" / "overdue by 1 h" (red), computed on the server and kept ticking by the script. */
export function countdown(deadline: Deadline | null, now: number): SafeHtml {
  if (!deadline) return html`<span class="muted">—</span>`;
  const left = Date.parse(deadline.due) - now;
  const abs = Math.abs(left);
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const text = hours > 48 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${hours} h ${minutes} min`;
  return html`${deadline.report}: <span data-due="${deadline.due}" class="${left < 0 ? 'overdue' : ''}">${left < 0 ? `overdue by ${text}` : `due in ${text}`}</span> <span class="muted">(${deadline.due}${deadline.provisional ? ', provisional' : ''})</span>`;
}

export async function incidentsPage(context: PageContext): Promise<void> {
  const view = context.url.searchParams.get('view') === 'recent' ? 'recent' : 'active';
  const result = await incidentPage(context.store, context.tenant, { view, since: context.now - 7 * 86_400_000, after: decodeCursor(context.url.searchParams.get('after')), limit: 50 });
  const body = html`<p><a class="button" href="${context.link('/incidents')}" ${view === 'active' ? html`aria-current="page"` : ''}>open incidents</a> <a class="button" href="${context.link('/incidents', { view: 'recent' })}" ${view === 'recent' ? html`aria-current="page"` : ''}>updated in the last 7 days</a></p>
    ${result.items.length === 0 ? html`<p>No incidents.</p>` : html`<table><thead><tr><th>incident</th><th>severity</th><th>status</th><th>classification</th><th>owner</th><th>evidence</th><th>next report due</th></tr></thead><tbody>
      ${result.items.map(({ incident, evidenceCount, nextReport }) => html`<tr><td><a href="${context.link(`/incidents/${encodeURIComponent(incident.id)}`)}">${incident.title}</a><br>${copyable(incident.id)}</td>
        <td>${incident.severity}</td><td>${incident.status}</td><td>${classification(incident)}</td><td>${incident.owner ?? '—'}</td><td>${evidenceCount}</td><td>${countdown(nextReport, context.now)}</td></tr>`)}</tbody></table>`}
    ${pager(context, result.next)}`;
  sendHtml(context.response, 200, page(context, 'Incidents and deadlines', body));
}

export async function incidentDetailPage(context: PageContext): Promise<void> {
  const detail = await getIncident(context.store, context.tenant, context.params.id!);
  const { incident } = detail;
  const deadlines = [...detail.deadlines.dora, ...detail.deadlines.nis2];
  const body = html`<div class="card"><p><strong>${incident.title}</strong> ${copyable(incident.id)}</p>
    <dl class="fields"><dt>severity</dt><dd>${incident.severity}</dd><dt>status</dt><dd>${incident.status}</dd><dt>source</dt><dd>${incident.sourceId} (${incident.provider})</dd>
      <dt>owner</dt><dd>${incident.owner ?? '—'}</dd><dt>classification</dt><dd>${classification(incident)}</dd><dt>version</dt><dd>${incident.version}</dd>
      <dt>affected systems</dt><dd>${incident.canonical.affectedSystems.join(', ') || '—'}</dd><dt>became aware</dt><dd>${time(incident.becameAwareAt)}</dd>
      <dt>created</dt><dd>${time(incident.createdAt)}</dd><dt>updated</dt><dd>${time(incident.updatedAt)}</dd><dt>next report</dt><dd>${countdown(nextReportDue(incident), context.now)}</dd></dl></div>
    ${deadlines.length ? html`<h2>Regulatory deadlines</h2><table><thead><tr><th>report</th><th>due</th><th>basis</th></tr></thead><tbody>${deadlines.map((deadline) => html`<tr><td>${deadline.report}</td><td>${countdown(deadline, context.now)}</td><td>${deadline.basis}</td></tr>`)}</tbody></table>` : ''}
    <h2>Provenance</h2><table><thead><tr><th>role</th><th>event</th><th>at</th><th>body sha256</th><th>mapping version</th></tr></thead><tbody>
      ${detail.provenance.map((item) => html`<tr><td>${item.role}</td><td><a href="${context.link(`/events/${encodeURIComponent(item.eventId)}`)}">${item.eventId}</a></td><td>${time(item.at)}</td><td><code>${item.bodySha256.slice(0, 16)}…</code></td><td><code>${item.mappingVersion}</code></td></tr>`)}</tbody></table>
    <h2>Evidence</h2>${detail.evidence.length ? html`<ul>${detail.evidence.map((item) => html`<li>${item.kind}: ${item.value} ${item.note ? html`— ${item.note}` : ''} <span class="muted">(${item.addedBy}, ${time(item.addedAt)})</span></li>`)}</ul>` : html`<p class="muted">No evidence yet.</p>`}
    <h2>Deliveries</h2><p><a href="${context.link('/deliveries')}">all deliveries</a></p>
    <h2>Audit</h2>${auditTable(detail.audit)}`;
  sendHtml(context.response, 200, page(context, 'Incident', body));
}

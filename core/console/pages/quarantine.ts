import type { PageContext } from '../context';
import { decodeCursor } from '../cursor';
import { html } from '../html';
import { sendHtml } from '../http';
import { copyable, page, pager, time } from '../layout';
import { eventPage } from '../queries';

/**
 * Quarantined events grouped by source and reason ("severity is required × 412"), then one source's list.
 * Promote-after-fix is not offered: the mapping must be fixed, so each group links to the workbench.
 */
export async function quarantinePage(context: PageContext): Promise<void> {
  const sourceId = context.url.searchParams.get('source') || undefined;
  const groups = await context.store.transaction((r) => r.console.quarantineGroups(context.tenant, 100));
  const list = sourceId ? await eventPage(context.store, context.tenant, { state: 'quarantined', sourceId, after: decodeCursor(context.url.searchParams.get('after')), limit: 25 }) : undefined;
  const body = html`
    ${groups.length === 0 ? html`<p>Nothing is quarantined.</p>` : html`<table><thead><tr><th>source</th><th>reasons</th><th>events</th><th class="hide-narrow">last</th><th></th></tr></thead><tbody>
      ${groups.map(
        (group) => html`<tr><td><a href="${context.link('/quarantine', { source: group.sourceId })}">${group.sourceId}</a></td>
          <td>${group.reasons.map((reason) => html`<div><code>${reason.field}</code> ${reason.message}</div>`)}</td>
          <td><strong>${group.count}</strong></td><td class="hide-narrow">${time(group.lastAt)}</td>
          <td><a href="${context.link(`/events/${encodeURIComponent(group.sampleEventId)}`)}">open one</a> · <a href="${context.link('/workbench', { source: group.sourceId, event: group.sampleEventId })}">open in mapping workbench</a></td></tr>`,
      )}</tbody></table>`}
    ${list ? html`<h2>Quarantined from ${sourceId}</h2><table><thead><tr><th>event</th><th>received</th><th>reasons</th></tr></thead><tbody>
      ${list.items.map((event) => html`<tr><td><a href="${context.link(`/events/${encodeURIComponent(event.id)}`)}">open</a> ${copyable(event.id)}</td><td>${time(event.receivedAt)}</td>
        <td>${event.reasons.map((reason) => html`<div><code>${reason.field}</code> ${reason.message}</div>`)}</td></tr>`)}</tbody></table>${pager(context, list.next)}` : ''}`;
  sendHtml(context.response, 200, page(context, 'Quarantine', body));
}

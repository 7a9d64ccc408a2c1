import type { PageContext } from '../context';
import { html } from '../html';
import { HttpError, sendHtml } from '../http';
import { page } from '../layout';
import { auditTable } from './queue';

function timeParam(text: string | null, name: string): number | undefined {
  if (!text) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new HttpError(400, `${name} must be an ISO 8601 time`);
  return at;
}

/** The tenant's audit trail, newest first, filterable, with the whole hash chain recomputed on each view. */
export async function auditPage(context: PageContext): Promise<void> {
  const query = context.url.searchParams;
  const filter = { actor: query.get('actor') || undefined, action: query.get('action') || undefined, since: timeParam(query.get('since'), 'since'), until: timeParam(query.get('until'), 'until') };
  const before = query.get('before');
  const beforeSeq = before && /^\d{1,15}$/.test(before) ? Number(before) : undefined;
  const [entries, broken] = await context.store.transaction(async (r) => [await r.console.auditPage(context.tenant, { ...filter, beforeSeq, limit: 101 }), await r.audit.verifyChain(context.tenant)] as const);
  const shown = entries.slice(0, 100);
  const next = entries.length > 100 ? shown[shown.length - 1]!.seq : undefined;
  const search = Object.fromEntries(query);
  const body = html`<p class="card">${broken === undefined ? html`<span class="ok">Hash chain intact</span>: every entry of tenant ${context.tenant} matches the hash of the one before.` : html`<span class="bad">Hash chain broken at entry ${broken}</span>: that entry or one before it was changed outside the console.`}</p>
    <form class="filters" method="get" action="${context.link('/audit')}">
      <label>actor <input name="actor" value="${filter.actor ?? ''}"></label><label>action <input name="action" value="${filter.action ?? ''}" placeholder="event.promoted"></label>
      <label>since <input name="since" value="${query.get('since') ?? ''}" placeholder="2026-01-31T00:00:00Z"></label><label>until <input name="until" value="${query.get('until') ?? ''}"></label><button type="submit">filter</button></form>
    ${auditTable(shown)}
    <p class="pager">${before ? html`<a class="button" href="${context.link('/audit', { ...search, before: undefined })}">newest</a> ` : ''}${next ? html`<a class="button" rel="next" href="${context.link('/audit', { ...search, before: next })}">older</a>` : ''}</p>`;
  sendHtml(context.response, 200, page(context, 'Audit', body));
}

import { ConflictError } from '../../errors';
import { promoteEvent } from '../../review/promote-event';
import { rejectEvent } from '../../review/reject-event';
import type { EventRecord } from '../../store/records';
import type { PageContext } from '../context';
import { decodeCursor, pageLimit } from '../cursor';
import { html, type SafeHtml } from '../html';
import { HttpError, redirect, sendHtml } from '../http';
import { copyable, csrfField, page, pager, time } from '../layout';
import { payloadText } from '../payload-view';
import { eventPage } from '../queries';

const PAGE_SIZE = 25;
const BULK_LIMIT = 5000;
/** Counting stops here, so the page costs the same with 10k or 10M pending events. */
const COUNT_CAP = 10_000;

type Candidate = Record<string, unknown>;

function list(value: unknown): string {
  return Array.isArray(value) && value.length ? value.map(String).join(', ') : '—';
}

/** The mapped fields a reviewer decides on. */
export function mappedFields(event: EventRecord): SafeHtml {
  const candidate = (event.candidate ?? {}) as Candidate;
  return html`<dl class="fields">
    <dt>title</dt><dd><strong>${String(candidate.title ?? '—')}</strong></dd>
    <dt>severity</dt><dd>${String(candidate.severity ?? '—')}</dd>
    <dt>status</dt><dd>${String(candidate.status ?? '—')}</dd>
    <dt>detected at</dt><dd>${String(candidate.detectedAt ?? '—')}</dd>
    <dt>source</dt><dd>${event.sourceId}</dd>
    <dt>affected systems</dt><dd>${list(candidate.affectedSystems)}</dd>
    <dt>regulatory refs</dt><dd>${list(candidate.regulatoryRefs)}</dd>
    <dt>mapping version</dt><dd><code>${event.mappingVersion ?? '—'}</code></dd>
    <dt>received</dt><dd>${time(event.receivedAt)}</dd>
  </dl>`;
}

function decisionForms(context: PageContext, event: EventRecord): SafeHtml {
  if (!context.may('review')) return html``;
  return html`<form class="inline" method="post" action="${context.link(`/events/${encodeURIComponent(event.id)}/promote`)}">${csrfField(context)}
      <label>reason <input name="reason" required maxlength="2000" placeholder="why promote"></label><button type="submit" class="primary">promote</button></form>
    <form class="inline" method="post" action="${context.link(`/events/${encodeURIComponent(event.id)}/reject`)}">${csrfField(context)}
      <label>reason <input name="reason" required maxlength="2000" placeholder="why reject"></label><button type="submit">reject</button></form>`;
}

async function bodiesOf(context: PageContext, events: EventRecord[]): Promise<Map<string, Buffer | undefined>> {
  return context.store.transaction(async (r) => {
    const bodies = new Map<string, Buffer | undefined>();
    for (const event of events) if (!bodies.has(event.receiptId)) bodies.set(event.receiptId, await r.receipts.body(context.tenant, event.receiptId));
    return bodies;
  });
}

export async function queuePage(context: PageContext): Promise<void> {
  const sourceId = context.url.searchParams.get('source') || undefined;
  const limit = pageLimit(context.url.searchParams.get('limit'), PAGE_SIZE, 100);
  const result = await eventPage(context.store, context.tenant, { state: 'pending_review', sourceId, after: decodeCursor(context.url.searchParams.get('after')), limit });
  const [sources, pending, bodies] = await Promise.all([
    context.store.transaction((r) => r.sources.list(context.tenant)),
    context.store.transaction((r) => r.console.countInState(context.tenant, 'pending_review', sourceId, COUNT_CAP + 1)),
    bodiesOf(context, result.items),
  ]);
  const body = html`
    <form class="filters" method="get" action="${context.link('/queue')}">
      <label>source <select name="source"><option value="">all sources</option>${sources.map((source) => html`<option value="${source.id}" ${source.id === sourceId ? html`selected` : ''}>${source.name} (${source.id})</option>`)}</select></label>
      <button type="submit">filter</button>
      ${context.may('review') ? html`<a class="button" href="${context.link('/queue/bulk-reject', { source: sourceId })}">bulk reject…</a>` : ''}
    </form>
    <p class="muted">${pending > COUNT_CAP ? `${COUNT_CAP}+` : pending} pending${sourceId ? html` from ${sourceId}` : ''}; newest first.</p>
    ${result.items.length === 0 ? html`<p>Nothing is waiting for review.</p>` : ''}
    ${result.items.map(
      (event) => html`<article class="card" id="${event.id}">
        <p><a href="${context.link(`/events/${encodeURIComponent(event.id)}`)}">event</a> ${copyable(event.id)}</p>
        ${mappedFields(event)}
        <details><summary>raw payload</summary><pre>${payloadText(bodies.get(event.receiptId), 4096)}</pre></details>
        ${decisionForms(context, event)}
      </article>`,
    )}
    ${pager(context, result.next)}`;
  sendHtml(context.response, 200, page(context, 'Review queue', body));
}

export async function eventDetailPage(context: PageContext): Promise<void> {
  const id = context.params.id!;
  const found = await context.store.transaction(async (r) => {
    const event = await r.events.get(context.tenant, id);
    if (!event) return undefined;
    return { event, body: await r.receipts.body(context.tenant, event.receiptId), audit: await r.audit.forSubject(context.tenant, 'event', id) };
  });
  if (!found) throw new HttpError(404, `event ${id} was not found in tenant ${context.tenant}`);
  const { event, body: payload, audit } = found;
  const body = html`<div class="card"><p>event ${copyable(event.id)} · state <strong>${event.state}</strong>
      ${event.incidentId ? html` · incident <a href="${context.link(`/incidents/${encodeURIComponent(event.incidentId)}`)}">${event.incidentId}</a>` : ''}</p>
    ${mappedFields(event)}
    ${event.decidedBy ? html`<p>${event.state} by <strong>${event.decidedBy}</strong> at ${time(event.decidedAt)}: ${event.decisionReason ?? ''}</p>` : ''}
    ${event.reasons.length ? html`<h2>Quarantine reasons</h2><ul>${event.reasons.map((reason) => html`<li><code>${reason.field}</code> ${reason.message}</li>`)}</ul>
      <p><a class="button" href="${context.link('/workbench', { source: event.sourceId, receipt: event.receiptId })}">open in mapping workbench</a></p>` : ''}
    ${event.state === 'pending_review' ? decisionForms(context, event) : ''}
    ${event.state === 'quarantined' && context.may('review') ? html`<form class="inline" method="post" action="${context.link(`/events/${encodeURIComponent(event.id)}/reject`)}">${csrfField(context)}
      <label>reason <input name="reason" required maxlength="2000"></label><button type="submit">reject</button></form>` : ''}
    </div>
    <h2>Raw payload</h2><pre>${payloadText(payload)}</pre>
    <h2>Audit</h2>${auditTable(audit)}`;
  sendHtml(context.response, 200, page(context, 'Event', body));
}

export function auditTable(entries: Array<{ seq: number; at: number; actor: string; action: string; subjectType: string; subjectId: string; details: Record<string, unknown> }>): SafeHtml {
  if (entries.length === 0) return html`<p class="muted">No audit entries.</p>`;
  return html`<table><thead><tr><th>#</th><th>time</th><th>actor</th><th>action</th><th>subject</th><th class="hide-narrow">details</th></tr></thead><tbody>
    ${entries.map((entry) => html`<tr><td>${entry.seq}</td><td>${time(entry.at)}</td><td>${entry.actor}</td><td>${entry.action}</td><td>${entry.subjectType} <span class="id">${entry.subjectId}</span></td><td class="hide-narrow"><code>${JSON.stringify(entry.details).slice(0, 300)}</code></td></tr>`)}
  </tbody></table>`;
}

function reasonOf(context: PageContext): string {
  const reason = context.form.get('reason')?.trim();
  if (!reason) throw new HttpError(400, 'a reason is required');
  return reason;
}

/** When another reviewer decided first, says who, what and why. */
async function whyNot(context: PageContext, eventId: string, error: ConflictError): Promise<string> {
  const event = await context.store.transaction((r) => r.events.get(context.tenant, eventId));
  if (!event?.decidedBy) return error.message;
  return `Not done: event ${eventId} was already ${event.state} by ${event.decidedBy} at ${new Date(event.decidedAt ?? 0).toISOString()} (reason: ${event.decisionReason ?? '—'}).`;
}

export async function decideEvent(context: PageContext, decision: 'promote' | 'reject'): Promise<void> {
  const eventId = context.params.id!;
  const reason = reasonOf(context);
  const actor = context.principal.id;
  try {
    if (decision === 'promote') {
      const result = await promoteEvent(context.store, context.tenant, eventId, { actor, reason }, { now: () => context.now }, { deliverTo: context.deliverTo });
      context.session.flash = { kind: 'info', text: `Promoted ${eventId} into incident ${result.incident.id}.` };
    } else {
      await rejectEvent(context.store, context.tenant, eventId, { actor, reason }, { now: () => context.now });
      context.session.flash = { kind: 'info', text: `Rejected ${eventId}.` };
    }
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    context.session.flash = { kind: 'error', text: await whyNot(context, eventId, error) };
    return redirect(context.response, context.link(`/events/${encodeURIComponent(eventId)}`));
  }
  redirect(context.response, context.link('/queue'));
}

function bulkFilter(query: URLSearchParams) {
  return { sourceId: query.get('source') || undefined, titleContains: query.get('title')?.trim() || undefined };
}

export async function bulkRejectPage(context: PageContext): Promise<void> {
  const filter = bulkFilter(context.url.searchParams);
  const sources = await context.store.transaction((r) => r.sources.list(context.tenant));
  const ids = await context.store.transaction((r) => r.console.eventIds(context.tenant, 'pending_review', { ...filter, before: context.now }, BULK_LIMIT));
  const body = html`<form class="filters" method="get" action="${context.link('/queue/bulk-reject')}">
      <label>source <select name="source"><option value="">all sources</option>${sources.map((source) => html`<option value="${source.id}" ${source.id === filter.sourceId ? html`selected` : ''}>${source.id}</option>`)}</select></label>
      <label>title contains <input name="title" value="${filter.titleContains ?? ''}"></label><button type="submit">count</button></form>
    <div class="card"><p><strong>${ids.length}${ids.length === BULK_LIMIT ? '+' : ''}</strong> pending events match${ids.length === BULK_LIMIT ? html` (at most ${BULK_LIMIT} are rejected at once)` : ''}.</p>
    ${ids.length ? html`<form method="post" action="${context.link('/queue/bulk-reject')}">${csrfField(context)}
      <input type="hidden" name="source" value="${filter.sourceId ?? ''}"><input type="hidden" name="title" value="${filter.titleContains ?? ''}">
      <input type="hidden" name="before" value="${context.now}"><input type="hidden" name="expected" value="${ids.length}">
      <label>reason <input name="reason" required maxlength="2000"></label>
      <button type="submit" class="primary">reject these ${ids.length} events</button></form>` : ''}</div>`;
  sendHtml(context.response, 200, page(context, 'Bulk reject', body));
}

/** Rejects every pending event the filter matched when the reviewer confirmed (not newer ones), each audited. */
export async function bulkReject(context: PageContext): Promise<void> {
  const reason = reasonOf(context);
  const before = Number(context.form.get('before'));
  const ids = await context.store.transaction((r) =>
    r.console.eventIds(context.tenant, 'pending_review', { ...bulkFilter(context.form), before: Number.isFinite(before) ? before : context.now }, BULK_LIMIT),
  );
  let rejected = 0;
  let skipped = 0;
  for (const id of ids) {
    try {
      await rejectEvent(context.store, context.tenant, id, { actor: context.principal.id, reason }, { now: () => context.now });
      rejected++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      skipped++;
    }
  }
  context.session.flash = { kind: 'info', text: `Rejected ${rejected} events${skipped ? `; ${skipped} had been decided by someone else meanwhile` : ''}.` };
  redirect(context.response, context.link('/queue'));
}

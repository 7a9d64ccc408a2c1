import { deliveryDetails } from '../../delivery/delivery-views';
import type { DestinationHealth } from '../../delivery/health';
import { disableDestination, enableDestination } from '../../delivery/replay';
import { replayInBatches } from '../../operations/replay-in-batches';
import type { DeliveryState } from '../../store/delivery-records';
import type { PageContext } from '../context';
import { decodeCursor } from '../cursor';
import { html, type SafeHtml } from '../html';
import { HttpError, redirect, sendHtml } from '../http';
import { copyable, csrfField, page, pager, time } from '../layout';
import { jsonText, withoutEndpoints } from '../payload-view';
import { allDestinationHealth, deliveryPage } from '../queries';

const STATES: readonly string[] = ['scheduled', 'retrying', 'in_flight', 'delivered', 'dead_letter', 'cancelled'];

function lastResult(health: DestinationHealth): string {
  const result = health.lastResult;
  if (!result) return '—';
  const parts = [result.outcome, result.status ?? result.httpStatus, result.reason].filter((part) => part !== undefined && part !== null);
  return withoutEndpoints(parts.join(' ').slice(0, 200));
}

function destinationControls(context: PageContext, health: DestinationHealth): SafeHtml {
  if (!context.may('operate')) return html``;
  const id = encodeURIComponent(health.destinationId);
  return html`${health.deadLettered > 0 ? html`<a class="button" href="${context.link('/deliveries/replay', { destination: health.destinationId })}">replay dead letters…</a>` : ''}
    ${health.enabled
      ? html`<form class="inline" method="post" action="${context.link(`/destinations/${id}/disable`)}">${csrfField(context)}<input name="reason" required maxlength="500" placeholder="reason" aria-label="reason"><button type="submit">disable</button></form>`
      : html`<form class="inline" method="post" action="${context.link(`/destinations/${id}/enable`)}">${csrfField(context)}<button type="submit">enable</button></form>`}`;
}

export async function deliveriesPage(context: PageContext): Promise<void> {
  const query = context.url.searchParams;
  const destinationId = query.get('destination') || undefined;
  const stateFilter = query.get('state') || '';
  if (stateFilter && !STATES.includes(stateFilter)) throw new HttpError(400, `state must be one of ${STATES.join(', ')}`);
  const enabledFilter = query.get('destinations') || '';
  const health = (await allDestinationHealth(context.store, context.tenant)).filter((entry) => (enabledFilter === 'enabled' ? entry.enabled : enabledFilter === 'disabled' ? !entry.enabled : true));
  const list = await deliveryPage(context.store, context.tenant, {
    destinationId,
    state: stateFilter === 'retrying' ? undefined : (stateFilter as DeliveryState) || undefined,
    retrying: stateFilter === 'retrying',
    after: decodeCursor(query.get('after')),
    limit: 50,
  });
  const body = html`<h2>Destinations</h2>
    ${health.length === 0 ? html`<p>No destination has had a delivery yet.</p>` : html`<table><thead><tr><th>destination</th><th>state</th><th>active</th><th>delivered</th><th>retries</th><th>dead letters</th><th class="hide-narrow">last result</th><th></th></tr></thead><tbody>
      ${health.map((entry) => html`<tr><td><a href="${context.link('/deliveries', { destination: entry.destinationId })}">${entry.destinationId}</a> <span class="muted">${entry.kind ?? ''}</span></td>
        <td>${entry.enabled ? html`<span class="ok">enabled</span>` : html`<span class="bad">disabled</span> ${entry.disabledReason ?? ''}`}${entry.pausedUntil && entry.pausedUntil > context.now ? html` <span class="warn">paused until ${time(entry.pausedUntil)}</span>` : ''}</td>
        <td>${entry.active}</td><td>${entry.delivered}</td><td>${entry.scheduledRetries}</td><td>${entry.deadLettered > 0 ? html`<strong class="bad">${entry.deadLettered}</strong>` : '0'}</td>
        <td class="hide-narrow">${lastResult(entry)} ${time(entry.lastResultAt)}</td><td>${destinationControls(context, entry)}</td></tr>`)}</tbody></table>`}
    <h2>Deliveries</h2>
    <form class="filters" method="get" action="${context.link('/deliveries')}">
      <label>destinations <select name="destinations"><option value="">all</option>${['enabled', 'disabled'].map((value) => html`<option ${value === enabledFilter ? html`selected` : ''}>${value}</option>`)}</select></label>
      <label>destination <select name="destination"><option value="">all</option>${health.map((entry) => html`<option ${entry.destinationId === destinationId ? html`selected` : ''}>${entry.destinationId}</option>`)}</select></label>
      <label>state <select name="state"><option value="">any</option>${STATES.map((state) => html`<option ${state === stateFilter ? html`selected` : ''}>${state}</option>`)}</select></label>
      <button type="submit">filter</button>
      ${context.may('operate') && destinationId && stateFilter === 'dead_letter' ? html`<a class="button" href="${context.link('/deliveries/replay', { destination: destinationId })}">replay these…</a>` : ''}</form>
    <table><thead><tr><th>delivery</th><th>destination</th><th>incident</th><th>state</th><th>attempts</th><th class="hide-narrow">last</th><th>created</th></tr></thead><tbody>
      ${list.items.map((delivery) => html`<tr><td><a href="${context.link(`/deliveries/${encodeURIComponent(delivery.id)}`)}">open</a> ${copyable(delivery.id)}</td><td>${delivery.destinationId}</td>
        <td><a href="${context.link(`/incidents/${encodeURIComponent(delivery.incidentId)}`)}">${delivery.incidentId}</a> v${delivery.eventVersion}</td>
        <td class="${delivery.state === 'dead_letter' ? 'bad' : delivery.state === 'delivered' ? 'ok' : ''}">${delivery.state}</td><td>${delivery.totalAttempts}</td>
        <td class="hide-narrow">${delivery.lastStatus ?? ''} ${withoutEndpoints(delivery.lastError).slice(0, 120)}</td><td>${time(delivery.createdAt)}</td></tr>`)}</tbody></table>
    ${list.items.length === 0 ? html`<p class="muted">No deliveries match.</p>` : ''}${pager(context, list.next)}`;
  sendHtml(context.response, 200, page(context, 'Deliveries', body));
}

export async function deliveryDetailPage(context: PageContext): Promise<void> {
  const details = await deliveryDetails(context.store, context.tenant, context.params.id!);
  if (!details) throw new HttpError(404, `delivery ${context.params.id} was not found in tenant ${context.tenant}`);
  const { delivery, attempts } = details;
  const body = html`<div class="card"><p>delivery ${copyable(delivery.id)} to <strong>${delivery.destinationId}</strong> · incident <a href="${context.link(`/incidents/${encodeURIComponent(delivery.incidentId)}`)}">${delivery.incidentId}</a> v${delivery.eventVersion} (${delivery.eventKind})</p>
    <p>state <strong class="${delivery.state === 'dead_letter' ? 'bad' : ''}">${delivery.state}</strong> · ${delivery.totalAttempts} attempts · ${delivery.replays} replays · idempotency key ${copyable(delivery.idempotencyKey)}</p>
    ${delivery.state === 'dead_letter' && context.may('operate') ? html`<form class="inline" method="post" action="${context.link(`/deliveries/${encodeURIComponent(delivery.id)}/replay`)}">${csrfField(context)}<button type="submit" class="primary">replay this delivery</button></form>` : ''}</div>
    <h2>Attempts</h2>
    ${attempts.length === 0 ? html`<p class="muted">No attempt yet.</p>` : html`<table><thead><tr><th>#</th><th>started</th><th>duration</th><th>HTTP</th><th>outcome</th><th>reason</th></tr></thead><tbody>
      ${attempts.map((attempt) => html`<tr><td>${attempt.number}</td><td>${time(attempt.startedAt)}</td><td>${attempt.durationMs} ms</td><td>${attempt.httpStatus ?? '—'}</td>
        <td class="${attempt.outcome === 'success' ? 'ok' : attempt.outcome === 'terminal' ? 'bad' : 'warn'}">${attempt.outcome === 'retry' ? 'retryable' : attempt.outcome}</td>
        <td><details><summary>${attempt.reason}</summary><pre>${jsonText(attempt.summary, 4096)}</pre></details></td></tr>`)}</tbody></table>`}`;
  sendHtml(context.response, 200, page(context, 'Delivery', body));
}

function replayFilter(values: URLSearchParams): { destinationId: string; lastStatus?: number; since?: number } {
  const destinationId = values.get('destination') ?? '';
  if (!destinationId) throw new HttpError(400, 'name the destination whose dead letters to replay');
  const status = values.get('status');
  const since = values.get('since');
  if (status && !/^[1-5]\d\d$/.test(status)) throw new HttpError(400, 'status must be an HTTP status code');
  if (since && Number.isNaN(Date.parse(since))) throw new HttpError(400, 'since must be an ISO 8601 time');
  return { destinationId, ...(status ? { lastStatus: Number(status) } : {}), ...(since ? { since: Date.parse(since) } : {}) };
}

/** The confirmation: how many dead letters the replay will schedule again. */
export async function replayConfirmPage(context: PageContext): Promise<void> {
  const filter = replayFilter(context.url.searchParams);
  const count = await context.store.transaction((r) => r.console.countDeadLetters(context.tenant, filter.destinationId, filter));
  const body = html`<form class="filters" method="get" action="${context.link('/deliveries/replay')}"><input type="hidden" name="destination" value="${filter.destinationId}">
      <label>last HTTP status <input name="status" value="${filter.lastStatus ?? ''}" size="4"></label><label>dead-lettered since <input name="since" value="${filter.since ? new Date(filter.since).toISOString() : ''}" placeholder="2026-01-31T08:00:00Z"></label><button type="submit">count</button></form>
    <div class="card"><p><strong>${count}</strong> dead letters of <strong>${filter.destinationId}</strong> match. Replaying schedules them again now, with a fresh retry budget and the same idempotency key.</p>
    ${count > 0 ? html`<form method="post" action="${context.link('/deliveries/replay')}">${csrfField(context)}<input type="hidden" name="destination" value="${filter.destinationId}">
      <input type="hidden" name="status" value="${filter.lastStatus ?? ''}"><input type="hidden" name="since" value="${filter.since ? new Date(filter.since).toISOString() : ''}">
      <button type="submit" class="primary">replay ${count} dead letters</button></form>` : ''}</div>`;
  sendHtml(context.response, 200, page(context, 'Replay dead letters', body));
}

async function auditReplay(context: PageContext, destinationId: string, replayed: number, selection: Record<string, unknown>): Promise<void> {
  await context.store.transaction((r) =>
    r.audit.append({ tenant: context.tenant, at: context.now, actor: context.principal.id, action: 'delivery.replayed', subjectType: 'destination', subjectId: destinationId, details: { replayed, ...selection } }),
  );
}

export async function replayMatching(context: PageContext): Promise<void> {
  const filter = replayFilter(context.form);
  const { destinationId, ...deadLetterFilter } = filter;
  const progress = await replayInBatches(context.store, { tenant: context.tenant, destinationId, filter: deadLetterFilter, clock: { now: () => context.now } });
  await auditReplay(context, destinationId, progress.replayed, { ...deadLetterFilter, ...(progress.skipped > 0 && { skippedSuperseded: progress.skipped }) });
  const skipped = progress.skipped > 0 ? ` Skipped ${progress.skipped} superseded by a newer version of their incident (delivered or pending); replay those one by one from the CLI with --force if you must.` : '';
  context.session.flash = { kind: 'info', text: `Replayed ${progress.replayed} dead letters of ${destinationId}.${skipped}` };
  redirect(context.response, context.link('/deliveries', { destination: destinationId }));
}

export async function replayOne(context: PageContext): Promise<void> {
  const delivery = await context.store.transaction((r) => r.deliveries.get(context.tenant, context.params.id!));
  if (!delivery) throw new HttpError(404, `delivery ${context.params.id} was not found`);
  const progress = await replayInBatches(context.store, { tenant: context.tenant, destinationId: delivery.destinationId, ids: [delivery.id], clock: { now: () => context.now } });
  await auditReplay(context, delivery.destinationId, progress.replayed, { ids: [delivery.id] });
  const superseded = progress.skippedDeliveries[0];
  context.session.flash = progress.replayed
    ? { kind: 'info', text: `Replayed ${delivery.id}.` }
    : superseded
      ? { kind: 'error', text: `${delivery.id} was not replayed: version ${superseded.newerVersion} of its incident is ${superseded.newerState === 'delivered' ? 'delivered' : 'pending'} (${superseded.newerId}), so this older version is superseded.` }
      : { kind: 'error', text: `${delivery.id} is ${delivery.state}, not a dead letter: nothing replayed.` };
  redirect(context.response, context.link(`/deliveries/${encodeURIComponent(delivery.id)}`));
}

export async function changeDestination(context: PageContext, change: 'enable' | 'disable'): Promise<void> {
  const destinationId = context.params.id!;
  const clock = { now: () => context.now };
  if (change === 'enable') {
    const changed = await enableDestination(context.store, context.tenant, destinationId, { clock, actor: context.principal.id });
    context.session.flash = { kind: 'info', text: changed ? `Enabled ${destinationId}.` : `${destinationId} was not disabled.` };
  } else {
    const reason = context.form.get('reason')?.trim();
    if (!reason) throw new HttpError(400, 'a reason is required to disable a destination');
    const changed = await disableDestination(context.store, context.tenant, destinationId, { actor: context.principal.id, reason, clock });
    context.session.flash = { kind: 'info', text: changed ? `Disabled ${destinationId}.` : `${destinationId} was already disabled.` };
  }
  redirect(context.response, context.link('/deliveries'));
}

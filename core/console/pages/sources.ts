import { ConflictError } from '../../errors';
import { disableSourceManually, enableSource, sourceHealth, type SourceHealth } from '../../sources/source-admin';
import { hourlyChart, type HourlySeries } from '../chart';
import type { PageContext } from '../context';
import { html, type SafeHtml } from '../html';
import { HttpError, redirect, sendHtml } from '../http';
import { csrfField, page, time } from '../layout';
import { allSourceHealth } from '../queries';

const HOUR_MS = 3_600_000;
const ACCEPTED_STATES = new Set(['pending_review', 'promoted', 'rejected', 'filtered']);

async function seriesOf(context: PageContext, sourceId: string): Promise<HourlySeries> {
  const since = Math.floor(context.now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  const [events, refusals] = await context.store.transaction(async (r) => [await r.console.hourlyEventCounts(context.tenant, sourceId, since), await r.console.hourlyRefusals(context.tenant, sourceId, since)] as const);
  const series: HourlySeries = { accepted: Array(24).fill(0), duplicate: Array(24).fill(0), quarantined: Array(24).fill(0), refused: Array(24).fill(0) };
  for (const { hour, state, count } of events) {
    if (hour < 0 || hour > 23) continue;
    const kind = ACCEPTED_STATES.has(state) ? 'accepted' : state === 'duplicate' ? 'duplicate' : state === 'quarantined' ? 'quarantined' : undefined;
    if (kind) series[kind][hour] += count;
  }
  for (const { hour, count } of refusals) if (hour >= 0 && hour <= 23) series.refused[hour] += count;
  return series;
}

function controls(context: PageContext, health: SourceHealth): SafeHtml {
  if (!context.may('operate')) return html``;
  const { source } = health;
  const action = context.link(`/sources/${encodeURIComponent(source.id)}/${source.enabled ? 'disable' : 'enable'}`);
  if (source.enabled) {
    return html`<form class="inline" method="post" action="${action}">${csrfField(context)}<label>reason <input name="reason" required maxlength="500"></label><button type="submit">disable</button></form>`;
  }
  const cleanTest = source.testPassedAt !== null && source.disabledAt !== null && source.testPassedAt >= source.disabledAt;
  return html`<form class="inline" method="post" action="${action}">${csrfField(context)}<button type="submit" ${cleanTest ? '' : html`disabled`}>enable</button></form>
    ${cleanTest ? '' : html`<span class="muted">enable needs a clean test event since it was disabled (incident-intake send --test)</span>`}`;
}

export async function sourcesPage(context: PageContext): Promise<void> {
  const health = await allSourceHealth(context.store, context.tenant, { now: () => context.now });
  const charts = await Promise.all(health.map((entry) => seriesOf(context, entry.source.id)));
  const body = html`${health.length === 0 ? html`<p>No source has registered in this tenant yet.</p>` : ''}<div class="grid">${health.map((entry, index) => {
    const { source } = entry;
    return html`<section class="card" id="source-${source.id}"><h2>${source.name} <span class="muted id">${source.id}</span></h2>
      <p>${source.enabled ? html`<span class="ok">enabled</span>` : html`<span class="bad">disabled</span>: ${source.disabledReason ?? ''} (${time(source.disabledAt)})`} · provider ${source.provider}</p>
      <dl class="fields"><dt>last error</dt><dd>${source.lastError ? html`${source.lastError} (${time(source.lastErrorAt)})` : html`<span class="muted">none</span>`}</dd>
        <dt>last clean test event</dt><dd>${time(source.testPassedAt)}</dd>
        <dt>budget use</dt><dd>${entry.requestsThisHour} requests this hour; ${entry.tenantRequestsToday} for the tenant today</dd></dl>
      ${hourlyChart(charts[index]!, `${source.id} events per hour`)}
      ${controls(context, entry)}</section>`;
  })}</div>`;
  sendHtml(context.response, 200, page(context, 'Sources', body));
}

export async function changeSource(context: PageContext, change: 'enable' | 'disable'): Promise<void> {
  const sourceId = context.params.id!;
  const clock = { now: () => context.now };
  await sourceHealth(context.store, context.tenant, sourceId, clock);
  if (change === 'enable') {
    try {
      await enableSource(context.store, context.tenant, sourceId, context.principal.id, {}, clock);
      context.session.flash = { kind: 'info', text: `Enabled ${sourceId}.` };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      context.session.flash = { kind: 'error', text: error.message };
    }
  } else {
    const reason = context.form.get('reason')?.trim();
    if (!reason) throw new HttpError(400, 'a reason is required to disable a source');
    await disableSourceManually(context.store, context.tenant, sourceId, reason, context.principal.id, clock);
    context.session.flash = { kind: 'info', text: `Disabled ${sourceId}.` };
  }
  redirect(context.response, context.link('/sources'));
}

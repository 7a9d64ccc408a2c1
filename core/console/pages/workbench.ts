import { getPreset, isProvider, MappingConfigError, previewMapping, PROVIDERS, type MappingConfigInput, type PreviewResult } from '../../mapping';
import type { PageContext } from '../context';
import { html, type SafeHtml } from '../html';
import { HttpError, sendHtml, sendJson } from '../http';
import { csrfField, page } from '../layout';
import { payloadText } from '../payload-view';

const SAMPLES = 10;
const MAX_SAMPLE_CHARS = 256 * 1024;

interface WorkbenchInput {
  sourceId: string;
  provider: string;
  expression: string;
  sample: string;
}

async function sampleFor(context: PageContext, sourceId: string | undefined): Promise<{ sample: string; provider?: string; samples: Array<{ receiptId: string; receivedAt: number }> }> {
  const query = context.url.searchParams;
  return context.store.transaction(async (r) => {
    const source = sourceId ? await r.sources.get(context.tenant, sourceId) : undefined;
    const recent = sourceId ? await r.console.recentBodies(context.tenant, sourceId, SAMPLES) : [];
    let receiptId = query.get('receipt') ?? undefined;
    const eventId = query.get('event');
    if (eventId) receiptId = (await r.events.get(context.tenant, eventId))?.receiptId ?? receiptId;
    const body = receiptId ? await r.receipts.body(context.tenant, receiptId) : recent[0]?.body;
    return { sample: body ? payloadText(body, MAX_SAMPLE_CHARS) : '{}', provider: source?.provider, samples: recent.map(({ receiptId: id, receivedAt }) => ({ receiptId: id, receivedAt })) };
  });
}

/** The mapping text to copy into the node: the source's mapping config as JSON. */
function mappingConfigOf(input: WorkbenchInput): MappingConfigInput {
  if (!isProvider(input.provider)) throw new HttpError(400, `provider must be one of ${PROVIDERS.join(', ')}`);
  const expression = input.expression.trim();
  const preset = getPreset(input.provider).expression.trim();
  return expression && expression !== preset ? { provider: input.provider, expression } : { provider: input.provider };
}

/** Runs the core's preview (guarded like every user mapping: worker pool, time limit). Nothing is stored. */
async function preview(input: WorkbenchInput): Promise<{ config: MappingConfigInput; result?: PreviewResult; error?: string }> {
  const config = mappingConfigOf(input);
  let payload: unknown;
  try {
    payload = JSON.parse(input.sample);
  } catch (error) {
    return { config, error: `the sample is not JSON: ${(error as Error).message}` };
  }
  try {
    return { config, result: await previewMapping(payload, config) };
  } catch (error) {
    if (error instanceof MappingConfigError) return { config, error: error.message };
    throw error;
  }
}

function resultView(outcome: Awaited<ReturnType<typeof preview>>): SafeHtml {
  const { result, error } = outcome;
  return html`<section class="card"><h2>Result</h2>
    ${error ? html`<p class="bad">${error}</p>` : ''}
    ${result ? html`<p>${result.candidates.length} to review, ${result.quarantined.length} quarantined, ${result.filtered.length} filtered · mapping version <code>${result.mappingVersion}</code></p>
      ${result.quarantined.map((item) => html`<ul>${item.reasons.map((reason) => html`<li class="bad"><code>${reason.field}</code> ${reason.message}</li>`)}</ul>`)}
      <pre id="preview-output">${JSON.stringify({ candidates: result.candidates, quarantined: result.quarantined }, null, 2)}</pre>` : html`<pre id="preview-output"></pre>`}
    <h2>Mapping to copy into the node</h2><pre>${JSON.stringify(outcome.config, null, 2)}</pre>
    <button type="button" data-copy="${JSON.stringify(outcome.config)}" hidden>copy</button>
    <p class="muted">The workbench changes no running flow: paste this into the source node's mapping.</p></section>`;
}

function form(context: PageContext, input: WorkbenchInput, samples: Array<{ receiptId: string; receivedAt: number }>, sources: string[]): SafeHtml {
  return html`<form class="filters" method="get" action="${context.link('/workbench')}">
      <label>source <select name="source"><option value="">none (pick a preset)</option>${sources.map((id) => html`<option value="${id}" ${id === input.sourceId ? html`selected` : ''}>${id}</option>`)}</select></label>
      ${samples.length ? html`<label>sample <select name="receipt">${samples.map((sample) => html`<option value="${sample.receiptId}">${new Date(sample.receivedAt).toISOString()}</option>`)}</select></label>` : ''}
      <button type="submit">load</button></form>
    <form method="post" action="${context.link('/workbench/preview')}" data-live-preview>${csrfField(context)}
      <input type="hidden" name="source" value="${input.sourceId}">
      <p><label>preset / provider <select name="provider">${PROVIDERS.map((provider) => html`<option value="${provider}" ${provider === input.provider ? html`selected` : ''}>${provider}</option>`)}</select></label></p>
      <p><label>JSONata (the preset's expression; edit to override)<br><textarea name="expression" rows="10" spellcheck="false">${input.expression}</textarea></label></p>
      <p><label>sample payload (secrets blanked)<br><textarea name="sample" rows="12" spellcheck="false">${input.sample}</textarea></label></p>
      <p><button type="submit" class="primary">preview</button> <span class="muted">With scripts on, the result updates as you type.</span></p></form>`;
}

export async function workbenchPage(context: PageContext): Promise<void> {
  const sourceId = context.url.searchParams.get('source') || '';
  const sources = (await context.store.transaction((r) => r.sources.list(context.tenant))).map((source) => source.id);
  const loaded = await sampleFor(context, sourceId || undefined);
  const asked = context.url.searchParams.get('preset') ?? loaded.provider ?? 'generic';
  const provider = isProvider(asked) ? asked : 'generic';
  const input: WorkbenchInput = { sourceId, provider, expression: getPreset(provider).expression.trim(), sample: loaded.sample };
  const body = html`${form(context, input, loaded.samples, sources)}${resultView(await preview(input))}`;
  sendHtml(context.response, 200, page(context, 'Mapping workbench', body));
}

export async function workbenchPreview(context: PageContext): Promise<void> {
  const input: WorkbenchInput = {
    sourceId: context.form.get('source') ?? '',
    provider: context.form.get('provider') ?? 'generic',
    expression: (context.form.get('expression') ?? '').slice(0, 100_000),
    sample: (context.form.get('sample') ?? '').slice(0, MAX_SAMPLE_CHARS),
  };
  const outcome = await preview(input);
  if (context.form.get('format') === 'json') {
    return sendJson(context.response, 200, outcome.result ? { candidates: outcome.result.candidates, quarantined: outcome.result.quarantined, filtered: outcome.result.filtered.length, mappingVersion: outcome.result.mappingVersion, mapping: outcome.config } : { error: outcome.error, mapping: outcome.config });
  }
  const sources = (await context.store.transaction((r) => r.sources.list(context.tenant))).map((source) => source.id);
  sendHtml(context.response, 200, page(context, 'Mapping workbench', html`${form(context, input, [], sources)}${resultView(outcome)}`));
}

import type { PageContext } from './context';
import { html, type Interpolation, type SafeHtml } from './html';

const NAV: ReadonlyArray<[path: string, label: string]> = [
  ['/queue', 'Review queue'],
  ['/quarantine', 'Quarantine'],
  ['/sources', 'Sources'],
  ['/workbench', 'Mapping workbench'],
  ['/deliveries', 'Deliveries'],
  ['/incidents', 'Incidents'],
  ['/audit', 'Audit'],
];

export interface Flash {
  kind: 'info' | 'error';
  text: string;
}

/** The hidden CSRF field every write form carries. */
export function csrfField(context: PageContext): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${context.session.csrf}">`;
}

/** A safe reference (event, incident, delivery id) with a copy button the script reveals. */
export function copyable(id: string): SafeHtml {
  return html`<span class="id">${id}</span><button type="button" data-copy="${id}" hidden aria-label="copy ${id}">copy</button>`;
}

export function time(at: number | null | undefined): SafeHtml {
  if (at === null || at === undefined) return html`<span class="muted">—</span>`;
  const iso = new Date(at).toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')}</time>`;
}

function tenantSwitcher(context: PageContext): SafeHtml {
  if (context.tenants.length <= 1) return html`<span>tenant <strong>${context.tenant}</strong></span>`;
  return html`<form class="inline" method="post" action="${context.link('/tenant')}">${csrfField(context)}
    <label>tenant <select name="tenant">${context.tenants.map((tenant) => html`<option value="${tenant}" ${tenant === context.tenant ? html`selected` : ''}>${tenant}</option>`)}</select></label>
    <button type="submit">switch</button><input type="hidden" name="back" value="${context.url.pathname.slice(context.base.length) || '/queue'}"></form>`;
}

export function page(context: PageContext, title: string, body: Interpolation, flash?: Flash): SafeHtml {
  const current = context.url.pathname.slice(context.base.length);
  const message = flash ?? takeFlash(context);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Incident Intake console</title><link rel="stylesheet" href="${context.link('/assets/console.css')}"></head>
<body><header><span class="brand">Incident Intake</span>
<nav aria-label="console">${NAV.map(([path, label]) => html`<a href="${context.link(path)}" ${current.startsWith(path) ? html`aria-current="page"` : ''}>${label}</a>`)}${context.may('admin') ? html`<a href="${context.link('/api-tokens')}" ${current.startsWith('/api-tokens') ? html`aria-current="page"` : ''}>API tokens</a>` : ''}</nav>
<div class="who">${tenantSwitcher(context)}<span>${context.principal.name} (${context.principal.roles.join(', ')})</span>
<form class="inline" method="post" action="${context.link('/sign-out')}">${csrfField(context)}<button type="submit">sign out</button></form></div></header>
<main><h1>${title}</h1>${message ? html`<p class="flash ${message.kind}" role="status">${message.text}</p>` : ''}${body}</main>
<script src="${context.link('/assets/console.js')}"></script></body></html>`;
}

/** A message left by the write that redirected here; shown once. */
function takeFlash(context: PageContext): Flash | undefined {
  const flash = context.session.flash;
  context.session.flash = undefined;
  return flash;
}

/** Keyset pager: only "next" (lists start at the newest; the cursor is the last row shown). */
export function pager(context: PageContext, next: string | undefined): SafeHtml {
  const query = Object.fromEntries(context.url.searchParams);
  return html`<p class="pager">${context.url.searchParams.get('after') ? html`<a class="button" href="${context.link(context.url.pathname.slice(context.base.length), { ...query, after: undefined })}">first page</a> ` : ''}${next ? html`<a class="button" rel="next" href="${context.link(context.url.pathname.slice(context.base.length), { ...query, after: next })}">next page</a>` : ''}</p>`;
}

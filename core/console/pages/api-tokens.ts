import { createApiToken, revokeApiToken } from '../api-tokens';
import type { PageContext } from '../context';
import { html } from '../html';
import { HttpError, redirect, sendHtml } from '../http';
import { copyable, csrfField, page, time } from '../layout';

/** Admins issue read-only API tokens per consumer and revoke them; a token is shown once, then only its id. */
export async function apiTokensPage(context: PageContext): Promise<void> {
  const tokens = await context.store.transaction((r) => r.console.apiTokens(context.tenant));
  const body = html`<form class="filters card" method="post" action="${context.link('/api-tokens')}">${csrfField(context)}
      <label>consumer <input name="name" required maxlength="100" placeholder="NOC wall"></label><button type="submit" class="primary">issue a read-only token</button></form>
    <table><thead><tr><th>consumer</th><th>id</th><th>created</th><th>last used</th><th>state</th><th></th></tr></thead><tbody>
      ${tokens.map((token) => html`<tr><td>${token.name}</td><td>${copyable(token.id)}</td><td>${time(token.createdAt)} by ${token.createdBy}</td><td>${time(token.lastUsedAt)}</td>
        <td>${token.revokedAt === null ? html`<span class="ok">active</span>` : html`<span class="bad">revoked</span> ${time(token.revokedAt)}`}</td>
        <td>${token.revokedAt === null ? html`<form class="inline" method="post" action="${context.link(`/api-tokens/${encodeURIComponent(token.id)}/revoke`)}">${csrfField(context)}<button type="submit">revoke</button></form>` : ''}</td></tr>`)}</tbody></table>`;
  sendHtml(context.response, 200, page(context, 'API tokens', body));
}

export async function issueApiToken(context: PageContext): Promise<void> {
  const name = context.form.get('name')?.trim();
  if (!name) throw new HttpError(400, 'name the consumer the token is for');
  const { record, token } = await createApiToken(context.store, context.tenant, name.slice(0, 100), context.principal.id, context.now);
  const body = html`<div class="card"><p>Token for <strong>${record.name}</strong> (tenant ${record.tenant}, read-only). It is shown <strong>only now</strong>; the console keeps only its SHA-256.</p>
    <pre>${token}</pre><button type="button" data-copy="${token}" hidden>copy</button>
    <p><a href="${context.link('/api-tokens')}">back to API tokens</a></p></div>`;
  sendHtml(context.response, 201, page(context, 'New API token', body));
}

export async function revokeToken(context: PageContext): Promise<void> {
  const revoked = await revokeApiToken(context.store, context.tenant, context.params.id!, context.principal.id, context.now);
  context.session.flash = revoked ? { kind: 'info', text: `Revoked ${context.params.id}.` } : { kind: 'error', text: `${context.params.id} is not an active token of this tenant.` };
  redirect(context.response, context.link('/api-tokens'));
}

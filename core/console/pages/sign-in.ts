import { html, type SafeHtml } from '../html';

/** The sign-in page stands alone: there is no session yet, so no navigation. */
export function signInPage(base: string, options: { error?: string; preToken: string; builtIn: boolean }): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Incident Intake console</title><link rel="stylesheet" href="${base}/assets/console.css"></head>
<body><main><h1>Incident Intake console</h1>
${options.error ? html`<p class="flash error" role="alert">${options.error}</p>` : ''}
${options.builtIn
  ? html`<form class="card" method="post" action="${base}/sign-in">
      <input type="hidden" name="pre" value="${options.preToken}">
      <p><label>user <input name="user" autocomplete="username" required maxlength="100"></label></p>
      <p><label>password <input name="password" type="password" autocomplete="current-password" required maxlength="1000"></label></p>
      <p><button type="submit" class="primary">sign in</button></p></form>`
  : html`<p>Open the console from the automation editor you are signed in to.</p>`}
</main></body></html>`;
}

/**
 * The console's only script and stylesheet, served from its own path (no inline code, so the CSP can forbid
 * it; nothing from a CDN). Every page works without the script: it adds copy buttons, live mapping preview
 * and ticking countdowns.
 */
export const CONSOLE_SCRIPT = `'use strict';
(function () {
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }
  each('[data-copy]', function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = button.getAttribute('data-copy');
      var done = function () { button.textContent = 'copied'; setTimeout(function () { button.textContent = 'copy'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () {});
    });
  });
  function countdown(node) {
    var due = Date.parse(node.getAttribute('data-due'));
    var left = due - Date.now();
    var abs = Math.abs(left), h = Math.floor(abs / 3600000), m = Math.floor((abs % 3600000) / 60000);
    var text = (h > 48 ? Math.floor(h / 24) + ' d ' + (h % 24) + ' h' : h + ' h ' + m + ' min');
    node.textContent = left < 0 ? 'overdue by ' + text : 'due in ' + text;
    node.classList.toggle('overdue', left < 0);
  }
  each('[data-due]', countdown);
  setInterval(function () { each('[data-due]', countdown); }, 30000);
  var form = document.querySelector('form[data-live-preview]');
  if (form) {
    var out = document.getElementById('preview-output');
    var timer = null;
    var run = function () {
      var body = new URLSearchParams(new FormData(form));
      body.set('format', 'json');
      fetch(form.getAttribute('action'), { method: 'POST', body: body, credentials: 'same-origin', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
        .then(function (response) { return response.json(); })
        .then(function (result) { out.textContent = JSON.stringify(result, null, 2); })
        .catch(function () {});
    };
    form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 400); });
  }
})();
`;

export const CONSOLE_STYLES = `:root { --bg: #f7f7f8; --fg: #1d1f23; --muted: #5b6170; --card: #fff; --line: #d9dce3; --accent: #8c1c13; --ok: #1b6e3a; --bad: #b3261e; --warn: #8a5a00; }
@media (prefers-color-scheme: dark) { :root { --bg: #17181b; --fg: #e8e9ec; --muted: #a2a7b3; --card: #202226; --line: #3a3d44; --accent: #f28b82; --ok: #7fd39a; --bad: #ff8a80; --warn: #f3c26b; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; background: var(--card); border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; }
nav a { margin-right: .8rem; color: var(--fg); text-decoration: none; }
nav a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--accent); }
header .who { margin-left: auto; color: var(--muted); display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
main { padding: 1rem; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.35rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; margin-bottom: 1rem; }
.muted { color: var(--muted); }
.ok { color: var(--ok); } .bad, .overdue { color: var(--bad); font-weight: 600; } .warn { color: var(--warn); }
.flash { padding: .6rem .8rem; border-radius: 6px; margin-bottom: 1rem; border: 1px solid var(--line); background: var(--card); }
.flash.error { border-color: var(--bad); color: var(--bad); }
pre { background: var(--bg); border: 1px solid var(--line); padding: .6rem; overflow: auto; max-height: 24rem; font-size: .85rem; white-space: pre-wrap; word-break: break-word; }
code, .id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
button, .button { font: inherit; padding: .3rem .7rem; border: 1px solid var(--line); border-radius: 4px; background: var(--card); color: var(--fg); cursor: pointer; text-decoration: none; display: inline-block; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button[data-copy] { font-size: .75rem; padding: .05rem .4rem; margin-left: .3rem; }
input, select, textarea { font: inherit; padding: .3rem; border: 1px solid var(--line); border-radius: 4px; background: var(--card); color: var(--fg); max-width: 100%; }
textarea { width: 100%; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
form.inline { display: inline-flex; gap: .4rem; align-items: center; flex-wrap: wrap; margin: .2rem 0; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
.pager { margin: 1rem 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.fields { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: 0; }
.fields dt { color: var(--muted); } .fields dd { margin: 0; }
svg.chart { width: 100%; max-width: 28rem; height: auto; }
svg.chart .accepted { fill: #3b7dd8; } svg.chart .duplicate { fill: #8e8e93; } svg.chart .quarantined { fill: #d98a1c; } svg.chart .refused { fill: #c2352b; }
details summary { cursor: pointer; }
@media (max-width: 640px) { th, td { padding: .3rem; font-size: .85rem; } .hide-narrow { display: none; } main { padding: .5rem; } }
`;

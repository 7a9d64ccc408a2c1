import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { hostName, renderTemplate, type RenderedClient } from '../../core/templates';
import { UsageError, listOption, requiredOption } from '../args';
import { EXIT_FAILURE, EXIT_OK, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { createProgress } from '../progress';
import { parseHost } from './template-check';
import { checkTemplateFile } from './template-file';

const USAGE = `Usage: incident-intake template render --template FILE --for n8n|node-red --out DIR [--client KEY ...]

Checks the template, then writes importable files into DIR, one set per client:
  node-red  <client>.flow.json (import with Menu → Import, or POST to the admin API)
  n8n       <client>.workflow.json and <client>.credentials.json (secrets left empty), plus one
            delivery-worker.workflow.json (import with n8n import:credentials / import:workflow)
Secrets are never written: flows read them from the environment variables the template names, and n8n
credentials are created empty for you to fill in. Prints what it rendered per client and the variables to set.

  --template FILE   the template (YAML or JSON)
  --for HOST        n8n or node-red
  --out DIR         output folder (created if missing; files of the same name are replaced)
  --client KEY      render only this client (repeatable)

Exit status: 0 rendered, 1 the template is invalid (nothing written), 2 usage errors.`;

export const command = defineCommand({
  name: 'template render',
  summary: 'render an MSP template into n8n workflows or Node-RED flows',
  usage: USAGE,
  options: { template: { type: 'string' }, for: { type: 'string' }, out: { type: 'string' }, client: { type: 'string', multiple: true } },
  async run(values, io) {
    const file = requiredOption(values, 'template');
    const [host] = parseHost(requiredOption(values, 'for'))!;
    const out = resolve(requiredOption(values, 'out'));
    const only = listOption(values, 'client');
    const check = await checkTemplateFile(file, io, { hosts: [host!] });
    if (!check.ok || !check.template) {
      io.stdout.write(`${file}: invalid, nothing rendered\n`);
      return EXIT_FAILURE;
    }
    const unknown = only.filter((key) => !check.clients.some((client) => client.key === key));
    if (unknown.length > 0) throw new UsageError(`--client ${unknown.join(', ')}: not a client of ${file}`);
    const progress = createProgress(io.stderr, 'rendering clients');
    const rendered = renderTemplate(check.template, check.clients, host!, {
      only: only.length > 0 ? only : undefined,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.finish();
    await mkdir(out, { recursive: true });
    for (const output of rendered.files) await writeFile(join(out, output.path), output.content);
    report(io, rendered.clients, rendered.files.length, hostName(host!), out);
    return EXIT_OK;
  },
});

function report(io: CliIO, clients: RenderedClient[], fileCount: number, host: string, out: string): void {
  for (const client of clients) {
    io.stdout.write(`${client.client}: ${client.sources} source(s), ${client.destinations} destination(s), ${client.nodes} nodes → ${client.files.join(', ')}\n`);
  }
  io.stdout.write(`Rendered ${clients.length} client(s) for ${host}: ${fileCount} file(s) in ${out}\n`);
  const env = [...new Map(clients.flatMap((client) => client.env).map((reference) => [reference.name, reference])).values()];
  if (env.length > 0) io.stdout.write(`Secrets come from these environment variables:\n${env.map((reference) => `  ${reference.name}  (${reference.holds})`).join('\n')}\n`);
}

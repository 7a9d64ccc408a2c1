import { readFile } from 'node:fs/promises';
import { checkTemplate, formatTemplateIssue, type Host, type TemplateCheck } from '../../core/templates';
import { UsageError } from '../args';
import type { CliIO } from '../command';

export async function readTemplateFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--template ${file}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
  }
}

/** Reads and checks a template, printing every issue as `file:line:column: severity: path: message` on stderr. */
export async function checkTemplateFile(file: string, io: CliIO, options: { hosts?: Host[]; env?: boolean } = {}): Promise<TemplateCheck> {
  const check = checkTemplate(await readTemplateFile(file), { hosts: options.hosts, env: options.env ? io.env : undefined });
  for (const issue of check.issues) io.stderr.write(`${formatTemplateIssue(issue, file)}\n`);
  return check;
}

export function counts(check: TemplateCheck): string {
  const sources = check.clients.reduce((sum, client) => sum + client.sources.length, 0);
  const destinations = check.clients.reduce((sum, client) => sum + client.destinations.length, 0);
  return `${check.clients.length} client(s), ${sources} source(s), ${destinations} destination(s)`;
}

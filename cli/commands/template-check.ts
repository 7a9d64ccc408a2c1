import { HOSTS, isHost, type Host } from '../../core/templates';
import { UsageError, requiredOption, stringOption } from '../args';
import { EXIT_FAILURE, EXIT_OK } from '../command';
import { defineCommand } from '../define-command';
import { checkTemplateFile, counts } from './template-file';

const USAGE = `Usage: incident-intake template check --template FILE [--for n8n|node-red] [--env]

Validates an MSP template (YAML or JSON): its schema, every JSONata mapping, destination settings, routes
and tenants used twice, and whether each host's nodes can carry every setting. Problems are printed as
file:line:column: error|warning: path: message.

  --template FILE   the template
  --for HOST        check for one host only (${HOSTS.join(', ')}); default both
  --env             also check that every referenced environment variable is set and each secret works
                    with its scheme (values are never printed)

Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage errors or an unreadable file.`;

export function parseHost(text: string | undefined): Host[] | undefined {
  if (text === undefined) return undefined;
  if (!isHost(text)) throw new UsageError(`--for must be one of ${HOSTS.join(', ')}`);
  return [text];
}

export const command = defineCommand({
  name: 'template check',
  summary: 'validate an MSP template',
  usage: USAGE,
  options: { template: { type: 'string' }, for: { type: 'string' }, env: { type: 'boolean' } },
  async run(values, io) {
    const file = requiredOption(values, 'template');
    const check = await checkTemplateFile(file, io, { hosts: parseHost(stringOption(values, 'for')), env: values.env === true });
    const warnings = check.issues.filter((issue) => issue.severity === 'warning').length;
    const errors = check.issues.length - warnings;
    if (!check.ok) {
      io.stdout.write(`${file}: ${errors} error(s), ${warnings} warning(s)\n`);
      return EXIT_FAILURE;
    }
    io.stdout.write(`${file}: valid — ${counts(check)}${warnings ? `, ${warnings} warning(s)` : ''}\n`);
    return EXIT_OK;
  },
});

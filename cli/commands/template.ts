import { EXIT_OK, EXIT_USAGE, type CliCommand } from '../command';
import { command as check } from './template-check';
import { command as render } from './template-render';
import { command as schema } from './template-schema';

const ACTIONS: Record<string, CliCommand> = { check, render, schema };

const USAGE = `Usage: incident-intake template <check|render|schema> [options]

MSP templates: one YAML or JSON file describing clients → sources → destinations, with secrets only as
environment variable names.

  check    validate a template (schema, mappings, routes, host support)
  render   turn it into importable n8n workflows or Node-RED flows, one per client
  schema   print the format as JSON Schema, for editors

Run "incident-intake template <action> --help" for their options.`;

export const command: CliCommand = {
  name: 'template',
  summary: 'check an MSP template, or render it into n8n workflows / Node-RED flows',
  usage: USAGE,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === '--help' || action === '-h') {
      io.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    const chosen = action !== undefined && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!chosen) {
      io.stderr.write(`incident-intake template: ${action === undefined ? 'name an action' : `unknown action "${action}"`}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    return chosen.run(rest, io);
  },
};

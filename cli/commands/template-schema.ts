import { templateJsonSchema } from '../../core/templates/template-json-schema';
import { EXIT_OK } from '../command';
import { defineCommand } from '../define-command';

const USAGE = `Usage: incident-intake template schema > template.schema.json

Prints the template format as JSON Schema, for editors: with the line
  # yaml-language-server: $schema=./template.schema.json
at the top of a template, VS Code (YAML extension) and other editors complete keys and flag mistakes as you
type. template check still does the checks a schema cannot (JSONata, references, host support).`;

export const command = defineCommand({
  name: 'template schema',
  summary: 'print the template format as JSON Schema',
  usage: USAGE,
  options: {},
  async run(_values, io) {
    io.stdout.write(`${JSON.stringify(templateJsonSchema(), null, 2)}\n`);
    return EXIT_OK;
  },
});

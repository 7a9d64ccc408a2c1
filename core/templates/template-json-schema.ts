import { z } from 'zod';
import { templateSchema } from './template-schema';

/**
 * The template format as JSON Schema, for editors (e.g. `# yaml-language-server: $schema=…`): completion and
 * the structural checks. Cross-references, JSONata and host support are checked by `template check` only.
 */
export function templateJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(templateSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'incident-intake MSP template', description: 'Clients → sources → destinations; secrets only as environment variable names.' };
}

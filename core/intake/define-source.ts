import { z } from 'zod';
import { mappingConfigSchema, type MappingConfig, type MappingConfigInput } from '../mapping/mapping-config';
import { validateMappingConfig, describeIssue } from '../mapping/validate-mapping-config';
import { sourceConfigSchema, type SourceConfig, type SourceConfigInput } from './source-config';

/** A source as hosts and templates describe it: intake settings plus how its payloads are mapped. */
export interface SourceDefinitionInput extends Omit<SourceConfigInput, 'provider'> {
  provider: MappingConfigInput['provider'];
  /** Mapping settings; the provider comes from the source. */
  mapping?: Omit<MappingConfigInput, 'provider'>;
}

export interface SourceDefinition {
  source: SourceConfig;
  mapping: MappingConfig;
}

/** A source definition that cannot be used, with every problem listed as `field: message`. */
export class SourceDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid intake source: ${problems.join('; ')}`);
    this.name = 'SourceDefinitionError';
  }
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'source'}: ${issue.message}`);
}

/**
 * Validates a whole source at save time — intake settings, auth, limits and every JSONata text of its
 * mapping — so a broken source is reported when it is configured, not at its first event.
 */
export function defineSource(input: SourceDefinitionInput): SourceDefinition {
  const { mapping = {}, ...sourceInput } = input;
  const source = sourceConfigSchema.safeParse(sourceInput);
  const mappingValidation = validateMappingConfig({ ...mapping, provider: input.provider });
  const problems = [
    ...(source.success ? [] : zodProblems(source.error)),
    ...(mappingValidation.ok ? [] : mappingValidation.issues.map((issue) => `mapping.${describeIssue(issue)}`)),
  ];
  if (!source.success || !mappingValidation.ok) throw new SourceDefinitionError(problems);
  return { source: source.data, mapping: mappingValidation.config };
}

export const sourceDefinitionSchema = sourceConfigSchema.extend({ mapping: mappingConfigSchema.omit({ provider: true }).optional() });

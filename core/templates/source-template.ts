import { z } from 'zod';
import { INTAKE_MODES } from '../intake/source-config';
import { mappingConfigSchema } from '../mapping/mapping-config';
import { PROVIDERS } from '../mapping/providers';
import { SCHEME_NAMES } from '../signing';
import { displayName, envName, routePath, templateKey } from './template-fields';

export const authTemplateSchema = z
  .strictObject({
    scheme: z.enum(SCHEME_NAMES, { error: `must be one of ${SCHEME_NAMES.join(', ')}` }),
    /** Environment variable holding the shared secret (token, `user:password` for basic). */
    secretEnv: envName.optional(),
    /** During a rotation: the variable holding the previous secret, valid until `previousSecretExpiresAt`. */
    previousSecretEnv: envName.optional(),
    previousSecretExpiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-07-01T00:00:00Z' }).optional(),
    header: z.string().min(1).optional(),
    timestampHeader: z.string().min(1).optional(),
    queryParam: z.string().min(1).optional(),
    toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .superRefine((auth, context) => {
    if (auth.scheme !== 'none' && auth.secretEnv === undefined) {
      context.addIssue({ code: 'custom', path: ['secretEnv'], message: `is required for scheme ${auth.scheme}: name the environment variable that holds the secret` });
    }
  });

/** The intake limits, with the body cap in KB as both host editors show it. */
export const limitsTemplateSchema = z.strictObject({
  maxBodyKb: z.number().int().min(1).max(16 * 1024).optional(),
  sourcePerHour: z.number().int().min(0).optional(),
  tenantPerDay: z.number().int().min(0).optional(),
  quarantineDisableCount: z.number().int().min(1).optional(),
  quarantineWindowSeconds: z.number().int().min(1).optional(),
});

export const sourceTemplateSchema = z.strictObject({
  name: displayName.optional(),
  provider: z.enum(PROVIDERS, { error: `must be one of ${PROVIDERS.join(', ')}` }),
  mode: z.enum(INTAKE_MODES, { error: `must be one of ${INTAKE_MODES.join(', ')}` }).default('review'),
  /** Intake route; default /intake/<client>/<source>. */
  path: routePath.optional(),
  auth: authTemplateSchema,
  /** Overrides the client's limits field by field. */
  limits: limitsTemplateSchema.optional(),
  /** Mapping overrides on top of the provider preset (the provider comes from the source). */
  mapping: mappingConfigSchema.omit({ provider: true }).optional(),
  /** Destinations (keys of the client's `destinations`) that receive this source's incidents; default all. */
  deliverTo: z.array(templateKey).optional(),
});

export type AuthTemplate = z.infer<typeof authTemplateSchema>;
export type LimitsTemplate = z.infer<typeof limitsTemplateSchema>;
export type SourceTemplate = z.infer<typeof sourceTemplateSchema>;

import { z } from 'zod';
import { destinationTemplateSchema } from './destination-template';
import { limitsTemplateSchema, sourceTemplateSchema } from './source-template';
import { displayName, envName, routePath, templateKey } from './template-fields';

/** Where the generated flows keep their state. Default: the SQLite file in the host's user directory. */
export const storeTemplateSchema = z
  .strictObject({
    sqlitePath: z.string().min(1).optional(),
    postgresUrlEnv: envName.optional(),
  })
  .refine((store) => !(store.sqlitePath && store.postgresUrlEnv), 'give sqlitePath or postgresUrlEnv, not both');

/** An authenticated route a reviewer (or chat bot) posts `{eventId, actor, reason}` to, to promote an event. */
export const reviewTemplateSchema = z.strictObject({
  path: routePath.optional(),
  /** The approval request must carry this variable's value in the `X-Review-Token` header. */
  tokenEnv: envName,
});

export const clientTemplateSchema = z.strictObject({
  name: displayName.optional(),
  /** Store tenant; default the client key. */
  tenant: z.string().min(1).max(128).optional(),
  /** Defaults for every source of the client (a source's own limits win field by field). */
  limits: limitsTemplateSchema.optional(),
  review: reviewTemplateSchema.optional(),
  sources: z.record(templateKey, sourceTemplateSchema).refine((sources) => Object.keys(sources).length > 0, 'a client needs at least one source'),
  destinations: z.record(templateKey, destinationTemplateSchema).default({}),
});

/**
 * One declarative file for an MSP: clients → sources (provider, auth with secret references, limits, mode,
 * mapping overrides) → destinations. Secrets appear only as environment variable names.
 */
export const templateSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  store: storeTemplateSchema.default({}),
  clients: z.record(templateKey, clientTemplateSchema).refine((clients) => Object.keys(clients).length > 0, 'a template needs at least one client'),
});

export type StoreTemplate = z.infer<typeof storeTemplateSchema>;
export type ReviewTemplate = z.infer<typeof reviewTemplateSchema>;
export type ClientTemplate = z.infer<typeof clientTemplateSchema>;
export type Template = z.infer<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;

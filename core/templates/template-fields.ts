import { z } from 'zod';

/** Client, source and destination keys: they become tenants, source ids, URL paths and file names. */
export const templateKey = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lowercase letters, digits, "-" or "_" (max 63), starting with a letter or digit');

/**
 * Where a secret lives: the name of an environment variable, never the value. Upper case only, so that a
 * pasted secret (`whsec_…`, a token) is refused rather than taken for a name.
 */
export const envName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must name an environment variable (A-Z, 0-9, _), not hold the secret itself');

/** Keys that would hold a secret value; the template names an environment variable instead (`<key>Env`). */
export const SECRET_KEYS = ['secret', 'previousSecret', 'apiKey', 'alertSourceToken', 'token', 'password', 'postgresUrl'] as const;

export const displayName = z.string().min(1).max(200);

/** An intake or review route on the host; also the n8n webhook path without its leading slash. */
export const routePath = z.string().regex(/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'must be a path such as /intake/acme/jira (letters, digits, ".", "_", "~", "-")');

/**
 * Pacing of one destination: `off` sends unpaced; otherwise sends per minute, the burst, and the bucket's name
 * (destinations naming one bucket share its pace). Absent fields keep the kind's default (incident.io's limits,
 * one bucket per alert source).
 */
const rateLimitTemplateSchema = z.union([
  z.literal('off'),
  z.strictObject({
    perMinute: z.number().positive().optional(),
    burst: z.number().int().positive().optional(),
    bucket: z.string().trim().min(1).max(200).optional(),
  }).refine((rate) => rate.burst === undefined || rate.perMinute !== undefined, 'burst needs perMinute'),
]);

/** Retry, ordering and pacing settings of one destination, in the units the host editors show. */
export const policyTemplateSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(100).optional(),
  /** Seconds between attempts, e.g. [60, 300, 900]. */
  scheduleSeconds: z.array(z.number().min(0)).min(1).optional(),
  timeoutSeconds: z.number().min(0.05).max(300).optional(),
  /** `per-incident`: a newer version of an incident waits for the older one. Default: per-incident for incident.io, none for webhooks. */
  ordering: z.enum(['none', 'per-incident']).optional(),
  rateLimit: rateLimitTemplateSchema.optional(),
});

export type PolicyTemplate = z.infer<typeof policyTemplateSchema>;

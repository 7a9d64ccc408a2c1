import { z } from 'zod';
import { SCHEME_NAMES } from '../signing';
import { messageTrustSchema } from './message-trust';

export const INTAKE_MODES = ['review', 'auto-create'] as const;
export type IntakeMode = (typeof INTAKE_MODES)[number];

const secretEntrySchema = z.object({
  value: z.string().min(1, 'a secret must not be empty'),
  expiresAt: z.number().int().positive().optional(),
});

export const authConfigSchema = z.object({
  scheme: z.enum(SCHEME_NAMES).default('standard-webhooks'),
  secrets: z.array(secretEntrySchema).default([]),
  toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
  header: z.string().min(1).optional(),
  timestampHeader: z.string().min(1).optional(),
  queryParam: z.string().min(1).optional(),
});

export const DEFAULT_LIMITS = {
  /** PagerDuty drops bodies over 256 KB, so a bigger default would accept what no real sender sends. */
  maxBodyBytes: 256 * 1024,
  /** Accepted requests per source per clock hour before the source is disabled as flooding. */
  sourcePerHour: 3_600,
  /** Accepted requests per tenant per UTC day before senders get 429 until midnight UTC. */
  tenantPerDay: 50_000,
  /** Quarantined events per source within the window before the source is disabled. */
  quarantineDisableCount: 50,
  quarantineWindowSeconds: 3_600,
  /** Deepest JSON nesting accepted; provider payloads stay far below it. */
  maxJsonDepth: 100,
} as const;

export const limitsSchema = z.object({
  maxBodyBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(DEFAULT_LIMITS.maxBodyBytes),
  sourcePerHour: z.number().int().min(0).default(DEFAULT_LIMITS.sourcePerHour),
  tenantPerDay: z.number().int().min(0).default(DEFAULT_LIMITS.tenantPerDay),
  quarantineDisableCount: z.number().int().min(1).default(DEFAULT_LIMITS.quarantineDisableCount),
  quarantineWindowSeconds: z.number().int().min(1).default(DEFAULT_LIMITS.quarantineWindowSeconds),
  maxJsonDepth: z.number().int().min(1).max(1000).default(DEFAULT_LIMITS.maxJsonDepth),
});

/** How one intake source (one sender endpoint) behaves. Hosts build it from node parameters + credentials. */
export const sourceConfigSchema = z.object({
  tenant: z.string().min(1).max(128).default('default'),
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use letters, digits, dot, dash or underscore (max 128)'),
  name: z.string().min(1).max(200).optional(),
  provider: z.string().min(1).default('generic'),
  mode: z.enum(INTAKE_MODES).default('review'),
  auth: authConfigSchema.default({ scheme: 'standard-webhooks', secrets: [] }),
  limits: limitsSchema.default(limitsSchema.parse({})),
  /** How messages submitted from another node (not over HTTP) are trusted; absent: such messages are refused. */
  messageTrust: messageTrustSchema.optional(),
});

export type SourceConfig = z.infer<typeof sourceConfigSchema>;
export type SourceConfigInput = z.input<typeof sourceConfigSchema>;
export type IntakeLimits = SourceConfig['limits'];

/** Validates a host-supplied source config, filling defaults. Throws a ZodError naming each bad field. */
export function parseSourceConfig(input: SourceConfigInput): SourceConfig {
  return sourceConfigSchema.parse(input);
}

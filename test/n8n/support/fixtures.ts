import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRequest } from '../../../core/signing';

/** A throwaway SQLite store credential; its deliveries may reach the loopback stand-ins (127.0.0.1) only. */
export async function tempStore(): Promise<{ credential: Record<string, unknown>; path: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'n8n-unit-'));
  const path = join(dir, 'intake.sqlite');
  return { credential: { backend: 'sqlite', sqlitePath: path, allowedDeliveryHosts: '127.0.0.1' }, path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function genericEvent(id: string, overrides: Record<string, unknown> = {}) {
  return { type: 'incident.created', data: { id, title: `Checkout errors ${id}`, detected_at: '2026-11-23T08:00:00Z', severity: 'high', status: 'open', affected_systems: ['checkout'], ...overrides } };
}

/** A request signed the Standard Webhooks way, as a sender would send it. */
export function signed(secret: string, body: unknown): { headers: Record<string, string>; rawBody: Buffer } {
  const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return { rawBody, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, rawBody, { id: `msg_${randomUUID()}` }) } };
}

import type { WireRequest } from '../support/raw-http';
import type { CaseContext } from './case';
import type { SourceKey } from './sources';

export const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

/** A generic-provider alert the review-mode sources accept. */
export function alertBody(context: CaseContext, data: Record<string, unknown> = {}): Buffer {
  const id = context.unique('alert');
  return Buffer.from(JSON.stringify({ type: 'incident.created', data: { id, title: `Checkout errors ${id}`, severity: 'high', status: 'open', ...data } }));
}

/** A correctly signed POST of `body` to a source. */
export function signed(context: CaseContext, source: SourceKey, body: Buffer, extra: Array<[string, string]> = [JSON_TYPE], options: Parameters<CaseContext['sign']>[2] = {}): WireRequest {
  return { path: context.path(source), headers: [...extra, ...context.sign(source, body, options)], body };
}

/** Waits until early in a second, so "now" at the host is the same whole second as when we signed. */
export async function startOfSecond(): Promise<number> {
  for (let i = 0; i < 30 && Date.now() % 1000 > 150; i++) await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 2));
  return Math.floor(Date.now() / 1000);
}

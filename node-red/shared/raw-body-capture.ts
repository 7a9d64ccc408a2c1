import type { IncomingMessage, Server } from 'node:http';
import { refusedContentEncoding } from '../../core/http/content-encoding';
import { readCappedBody, type CappedBody } from '../../core/limits/read-capped-body';
import type { NodeAPI } from './node-red-types';
import { requestPath } from './request-path';

const CAPTURED = Symbol.for('incident-intake.capturedBody');

type CapturingRequest = IncomingMessage & { [CAPTURED]?: Promise<CappedBody>; _body?: boolean };

/** Intake routes (full paths) and their body caps, shared by every intake node of this runtime. */
const routes = new Map<string, number>();
const installedOn = new WeakSet<object>();

function fullPath(RED: NodeAPI, path: string): string {
  const root = String((RED.settings as { httpNodeRoot?: string | false }).httpNodeRoot || '/').replace(/\/+$/, '');
  return `${root}${path}`;
}

/**
 * Express routes a request to a path the way its defaults do: case-insensitively and with or without one
 * trailing slash. Capturing must match the same requests, or a routed one arrives with its body consumed.
 */
function routeKey(path: string): string {
  return path.toLowerCase().replace(/\/$/, '');
}

/**
 * With Node-RED's default settings the editor API is mounted at the same root as HTTP nodes and its JSON
 * body parser runs first, consuming every JSON request body — the exact bytes a signature covers would be
 * gone before our route runs. So the intake node listens on the HTTP server itself, ahead of Express: for
 * intake routes it starts reading the raw body under the cap and marks the request parsed, which makes
 * every body parser downstream skip it.
 */
export function captureRawBodies(RED: NodeAPI, path: string, maxBytes: number): () => void {
  const key = routeKey(fullPath(RED, path));
  routes.set(key, maxBytes);
  installOnce(RED);
  return () => routes.delete(key);
}

export function capturedBody(request: IncomingMessage): Promise<CappedBody> | undefined {
  return (request as CapturingRequest)[CAPTURED];
}

function installOnce(RED: NodeAPI): void {
  const server = (RED as unknown as { server?: Server }).server;
  if (!server || installedOn.has(server)) return;
  installedOn.add(server);
  server.prependListener('request', (request: CapturingRequest) => {
    if (request.method !== 'POST' || request._body) return;
    const path = requestPath(request.url);
    const maxBytes = path === undefined ? undefined : routes.get(routeKey(path));
    if (maxBytes === undefined) return;
    request._body = true;
    // A compressed body is refused (415) before it is read: the route answers and discards the rest, bounded.
    if (refusedContentEncoding(request.headers['content-encoding'])) return;
    request[CAPTURED] = readCappedBody(request, { maxBytes, declaredLength: request.headers['content-length'] });
  });
}

import { connect, type Socket } from 'node:net';

/** How the body goes on the wire. */
export type BodyMode =
  | { kind: 'length'; declaredLength?: string | null }
  | { kind: 'chunked'; chunkBytes: number }
  | { kind: 'drip'; intervalMs: number; bytesPerTick: number; declaredLength?: string | null; chunked?: boolean };

/** One request exactly as it goes on the wire: duplicate headers, lying lengths and broken bytes allowed. */
export interface WireRequest {
  method?: string;
  path: string;
  /** In order; a name may repeat. Content-Length / Transfer-Encoding are added from `mode` unless given here. */
  headers: Array<[string, string]>;
  body: Buffer;
  mode?: BodyMode;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string[]>;
  body: string;
  /** The server closed the connection after answering (or instead of answering). */
  closed: boolean;
  /** Body bytes we managed to write before the answer came or the socket closed. */
  bytesWritten: number;
  elapsedMs: number;
}

const CRLF = '\r\n';

function head(request: WireRequest): string {
  const mode = request.mode ?? { kind: 'length' };
  const headers = [...request.headers];
  const has = (name: string) => headers.some(([key]) => key.toLowerCase() === name);
  const chunked = mode.kind === 'chunked' || (mode.kind === 'drip' && mode.chunked === true);
  if (chunked && !has('transfer-encoding')) headers.push(['Transfer-Encoding', 'chunked']);
  const declared = mode.kind === 'chunked' ? null : mode.declaredLength === undefined ? String(request.body.length) : mode.declaredLength;
  if (!chunked && declared !== null && !has('content-length')) headers.push(['Content-Length', declared]);
  if (!has('host')) headers.unshift(['Host', '127.0.0.1']);
  return `${request.method ?? 'POST'} ${request.path} HTTP/1.1${CRLF}${headers.map(([k, v]) => `${k}: ${v}`).join(CRLF)}${CRLF}${CRLF}`;
}

function chunk(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}${CRLF}`), bytes, Buffer.from(CRLF)]);
}

/** Parses one HTTP/1.1 response out of `data`; undefined until it is complete (or `ended` says no more will come). */
export function parseResponse(data: Buffer, ended: boolean): Omit<WireResponse, 'closed' | 'bytesWritten' | 'elapsedMs'> | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split(CRLF);
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  const status = Number(statusLine!.split(' ')[1]);
  const rest = data.subarray(end + 4);
  const length = headers['content-length']?.[0];
  if (length !== undefined) {
    if (rest.length < Number(length)) return ended ? { status, headers, body: rest.toString('utf8') } : undefined;
    return { status, headers, body: rest.subarray(0, Number(length)).toString('utf8') };
  }
  if (headers['transfer-encoding']?.[0]?.toLowerCase() === 'chunked') {
    const body = dechunk(rest);
    if (body === undefined) return ended ? { status, headers, body: rest.toString('utf8') } : undefined;
    return { status, headers, body: body.toString('utf8') };
  }
  return ended ? { status, headers, body: rest.toString('utf8') } : undefined;
}

function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf(CRLF, offset);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

/**
 * Sends one request over a fresh socket and reads one response. Write errors after the server has answered
 * (it refused the rest of the body) are expected and ignored. Status 0: the server closed the connection
 * without answering; -1: no answer within `timeoutMs`, when we gave up.
 */
export function sendWire(port: number, request: WireRequest, timeoutMs = 30_000): Promise<WireResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let bytesWritten = 0;
    let settled = false;
    let drip: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => finish(), timeoutMs);
    function finish(error?: Error, closed = false) {
      if (settled) return;
      const parsed = parseResponse(received, true);
      settled = true;
      clearTimeout(timer);
      clearInterval(drip);
      socket.destroy();
      if (parsed) resolve({ ...parsed, closed, bytesWritten, elapsedMs: Date.now() - started });
      else if (error) reject(error);
      else resolve({ status: closed ? 0 : -1, headers: {}, body: '', closed, bytesWritten, elapsedMs: Date.now() - started });
    }
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (parseResponse(received, false)) setTimeout(() => finish(undefined, socket.destroyed || socket.readableEnded), 20);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => finish(undefined, true));
    socket.on('connect', () => {
      socket.write(head(request));
      drip = writeBody(socket, request, (count) => (bytesWritten += count));
    });
  });
}

function writeBody(socket: Socket, request: WireRequest, wrote: (count: number) => void): NodeJS.Timeout | undefined {
  const mode = request.mode ?? { kind: 'length' };
  const safeWrite = (bytes: Buffer) => {
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(bytes, (error) => {
      if (!error) wrote(bytes.length);
    });
  };
  if (mode.kind === 'length') {
    if (request.body.length > 0) safeWrite(request.body);
    return undefined;
  }
  if (mode.kind === 'chunked') {
    for (let offset = 0; offset < request.body.length; offset += mode.chunkBytes) safeWrite(chunk(request.body.subarray(offset, offset + mode.chunkBytes)));
    safeWrite(Buffer.from(`0${CRLF}${CRLF}`));
    return undefined;
  }
  let offset = 0;
  const timer = setInterval(() => {
    if (offset >= request.body.length) {
      if (mode.chunked) safeWrite(Buffer.from(`0${CRLF}${CRLF}`));
      return clearInterval(timer);
    }
    const piece = request.body.subarray(offset, offset + mode.bytesPerTick);
    offset += piece.length;
    safeWrite(mode.chunked ? chunk(piece) : piece);
  }, mode.intervalMs);
  return timer;
}

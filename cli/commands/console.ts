import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsole, hashConsolePassword, parseConsoleUsers, sha256Hex, type ConsoleUserDirectory } from '../../core/console';
import { UsageError, listOption, stringOption } from '../args';
import { EXIT_OK, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { readAll } from '../read-stdin';
import { openStoreFromOptions } from '../store-option';

const USAGE = `Usage: incident-intake console --store URL --users FILE [--listen 127.0.0.1:PORT] [--secure-cookies] [--deliver-to KIND:ID ...]
       incident-intake console --hash-password < password.txt
       incident-intake console --hash-token

Serves the console (review queue, quarantine, sources, mapping workbench, deliveries, incidents and
deadlines, audit, and the read-only JSON API under /api/v1) on the same store the hosts use. Listens on
loopback unless told otherwise. Ctrl-C stops it. See docs/console.md.

  --store URL          the intake store: a SQLite file (path or sqlite:PATH) or postgres://…
  --store-env NAME     read the store URL from environment variable NAME (keeps a password out of ps)
  --users FILE         users (scrypt password hashes, roles, tenants) and API tokens (SHA-256), JSON or YAML
  --listen HOST:PORT   where to listen (default 127.0.0.1:8480; port 0 picks a free one)
  --secure-cookies     mark cookies Secure (when a TLS proxy is in front)
  --deliver-to KIND:ID a promotion enqueues the incident for this outbox destination, as the hosts' review
                       nodes do (repeatable; e.g. webhook:ops-hook, incident-io:n8n-…); a delivery worker sends it
  --hash-password      read a password on stdin and print its hash for the users file
  --hash-token         print a new API token and the SHA-256 to put in the users file's apiTokens

Exit status: 0 stopped, 1 the store or the users file failed, 2 usage errors.`;

function parseListen(text: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(text.trim());
  if (!match || Number(match[2]) > 65535) throw new UsageError('--listen must be HOST:PORT, e.g. 127.0.0.1:8480');
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

function parseTarget(text: string): { kind: string; id: string } {
  const match = /^([a-z][a-z0-9-]*):(\S+)$/.exec(text.trim());
  if (!match) throw new UsageError('--deliver-to must be KIND:ID, e.g. webhook:ops-hook');
  return { kind: match[1]!, id: match[2]! };
}

function readUsers(path: string): ConsoleUserDirectory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--users ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return parseConsoleUsers(text);
}

async function serve(values: Record<string, unknown>, io: CliIO): Promise<number> {
  const usersPath = stringOption(values as never, 'users');
  if (!usersPath) throw new UsageError('--users FILE is required');
  const users = readUsers(usersPath);
  const { host, port } = parseListen(stringOption(values as never, 'listen') ?? '127.0.0.1:8480');
  const store = await openStoreFromOptions(values as never, io.env);
  const deliverTo = listOption(values as never, 'deliver-to').map(parseTarget);
  const consoleApp = createConsole({ store, basePath: '', users, secureCookies: values['secure-cookies'] === true, deliverTo });
  const server = createServer((request, response) => void consoleApp.handle(request, response));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const address = server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    io.stdout.write(`Console listening on http://${shown}:${address.port}/ (${users.users.length} users)\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await consoleApp.close();
    await store.close();
  }
  return EXIT_OK;
}

export const command = defineCommand({
  name: 'console',
  summary: 'serve the web console (review, quarantine, sources, deliveries, incidents, audit, read-only API)',
  usage: USAGE,
  options: {
    store: { type: 'string' },
    'store-env': { type: 'string' },
    users: { type: 'string' },
    listen: { type: 'string' },
    'secure-cookies': { type: 'boolean' },
    'deliver-to': { type: 'string', multiple: true },
    'hash-password': { type: 'boolean' },
    'hash-token': { type: 'boolean' },
  },
  async run(values, io) {
    if (values['hash-password'] === true) {
      const password = (await readAll(io.stdin)).toString('utf8').replace(/\r?\n$/, '');
      if (!password) throw new UsageError('--hash-password reads the password on stdin; it was empty');
      io.stdout.write(`${await hashConsolePassword(password)}\n`);
      return EXIT_OK;
    }
    if (values['hash-token'] === true) {
      const token = `iit_file_${randomBytes(32).toString('base64url')}`;
      io.stdout.write(`token:  ${token}\nsha256: ${sha256Hex(token)}\n`);
      return EXIT_OK;
    }
    return serve(values, io);
  },
});

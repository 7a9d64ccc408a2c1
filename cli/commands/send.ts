import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import { newMessageId } from '../../core/signing';
import { UsageError, listOption, parseHeaderLines, requiredOption, stringOption } from '../args';
import { EXIT_FAILURE, EXIT_OK, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { readAll } from '../read-stdin';
import { SECRET_USAGE, SIGNING_OPTIONS, signForCli, signingChoice } from '../signing-options';

/** The header in which each provider puts its message id; Standard Webhooks' webhook-id comes with the signature. */
const PROVIDER_ID_HEADERS: Record<string, string | undefined> = {
  pagerduty: 'X-Webhook-Id',
  jira: 'X-Atlassian-Webhook-Identifier',
  github: 'X-GitHub-Delivery',
  'standard-webhooks': undefined,
};

const TEST_HEADER = 'X-Incident-Intake-Test';
const TIMEOUT_MS = 30_000;

const USAGE = `Usage: incident-intake send --url URL --scheme S (--secret X | --secret-env NAME) [options] < body

Signs a JSON body read from stdin and POSTs it, as a provider would. Prints the status line and the
response body. Exit 0 on a 2xx answer, 1 otherwise, 2 on usage errors.

  --url URL             where to POST (http or https)
  --scheme S            standard-webhooks, stripe, pagerduty, hub-sha256, grafana, onemanage,
                        hmac-hex, hmac-base64, token, basic or none
${SECRET_USAGE}
  --provider P          add P's message id header: pagerduty, jira, github or standard-webhooks
  --id ID               message id (default msg_<random>)
  --test                mark the request as a test event (${TEST_HEADER}: 1)
  -H 'Name: value'      an extra request header (repeatable)
  --header NAME         signature or token header, when not the scheme's default
  --timestamp-header NAME  also sign a timestamp sent in this header (grafana, hmac-hex, hmac-base64)`;

export const command = defineCommand({
  name: 'send',
  summary: 'sign a body (stdin) and POST it to an intake URL',
  usage: USAGE,
  options: {
    ...SIGNING_OPTIONS,
    url: { type: 'string' },
    provider: { type: 'string' },
    id: { type: 'string' },
    test: { type: 'boolean' },
    'request-header': { type: 'string', short: 'H', multiple: true },
  },
  async run(values, io) {
    const url = parseUrl(requiredOption(values, 'url'));
    const choice = signingChoice(values, io.env);
    const id = stringOption(values, 'id') ?? newMessageId();
    const providerHeader = providerIdHeader(stringOption(values, 'provider'));
    const extraHeaders = parseHeaderLines(listOption(values, 'request-header'));
    const body = await readAll(io.stdin);
    const headers = {
      'content-type': 'application/json',
      ...signForCli(choice, body, { id }),
      ...(providerHeader && { [providerHeader]: id }),
      ...(values.test === true && { [TEST_HEADER]: '1' }),
      ...extraHeaders,
    };
    return post(url, headers, body, io);
  },
});

async function post(url: URL, headers: Record<string, string | string[] | undefined>, body: Buffer, io: CliIO): Promise<number> {
  // A private agent, closed afterwards, so that no kept-alive socket holds the process open.
  const agent = new Agent({ headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  try {
    const response = await request(url, { method: 'POST', headers: withoutEmpty(headers), body, dispatcher: agent });
    const text = await response.body.text();
    io.stdout.write(`HTTP ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ''}`.trimEnd() + '\n');
    if (text !== '') io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return response.statusCode >= 200 && response.statusCode < 300 ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    io.stderr.write(`incident-intake send: request to ${url.origin} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    await agent.close();
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--url must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--url must be an absolute http or https URL');
  return url;
}

function providerIdHeader(provider: string | undefined): string | undefined {
  if (provider === undefined) return undefined;
  if (!Object.hasOwn(PROVIDER_ID_HEADERS, provider)) {
    throw new UsageError(`--provider must be one of ${Object.keys(PROVIDER_ID_HEADERS).join(', ')}`);
  }
  return PROVIDER_ID_HEADERS[provider];
}

function withoutEmpty(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
}

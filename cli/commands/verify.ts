import { verifyRequest, type AuthConfig } from '../../core/signing';
import { listOption, parseHeaderLines, parseSeconds, stringOption } from '../args';
import { EXIT_FAILURE, EXIT_OK } from '../command';
import { defineCommand } from '../define-command';
import { readAll } from '../read-stdin';
import { SECRET_USAGE, SIGNING_OPTIONS, signingChoice } from '../signing-options';

const USAGE = `Usage: incident-intake verify --scheme S (--secret X | --secret-env NAME)... [options] < body

Checks the signature of a request body read from stdin against the given headers.
Exit 0 when valid (prints "valid" and the message id), 1 when not (reason on stderr), 2 on usage errors.

  --scheme S            standard-webhooks, stripe, pagerduty, hub-sha256, grafana, onemanage,
                        hmac-hex, hmac-base64, token, basic or none
${SECRET_USAGE}
                        (repeat either to verify against several live secrets, as during a rotation)
  -H 'Name: value'      a request header (repeatable)
  --tolerance SEC       allowed clock difference for timestamped schemes (default 300)
  --now UNIX            the time to verify at, in unix seconds (default: now)
  --header NAME         signature or token header, when not the scheme's default
  --timestamp-header NAME  timestamp header (grafana, hmac-hex, hmac-base64)`;

export const command = defineCommand({
  name: 'verify',
  summary: 'check a signed request body (stdin) against its headers',
  usage: USAGE,
  options: {
    ...SIGNING_OPTIONS,
    'request-header': { type: 'string', short: 'H', multiple: true },
    tolerance: { type: 'string' },
    now: { type: 'string' },
  },
  async run(values, io) {
    const choice = signingChoice(values, io.env);
    const tolerance = stringOption(values, 'tolerance');
    const now = stringOption(values, 'now');
    const config: AuthConfig = {
      scheme: choice.scheme,
      secrets: choice.secrets.map((value) => ({ value })),
      header: choice.header,
      timestampHeader: choice.timestampHeader,
      ...(tolerance !== undefined && { toleranceSeconds: parseSeconds(tolerance, '--tolerance') }),
    };
    const headers = parseHeaderLines(listOption(values, 'request-header'));
    const at = now === undefined ? new Date() : new Date(parseSeconds(now, '--now') * 1000);
    const result = verifyRequest(config, { headers, rawBody: await readAll(io.stdin), now: at });
    if (!result.ok) {
      io.stderr.write(`invalid (${result.code}): ${result.message}\n`);
      return EXIT_FAILURE;
    }
    io.stdout.write(result.messageId === undefined ? 'valid\n' : `valid\nmessage-id: ${result.messageId}\n`);
    return EXIT_OK;
  },
});

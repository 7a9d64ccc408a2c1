import { newMessageId } from '../../core/signing';
import { parseSeconds, stringOption } from '../args';
import { EXIT_OK } from '../command';
import { defineCommand } from '../define-command';
import { readAll } from '../read-stdin';
import { SECRET_USAGE, SIGNING_OPTIONS, signForCli, signingChoice } from '../signing-options';

const USAGE = `Usage: incident-intake sign --scheme S (--secret X | --secret-env NAME) [options] < body

Signs a request body read from stdin and prints the headers to send, one "Name: value" per line.

  --scheme S            standard-webhooks, stripe, pagerduty, hub-sha256, grafana, onemanage,
                        hmac-hex, hmac-base64, token, basic or none
${SECRET_USAGE}
  --id ID               message id (standard-webhooks; default msg_<random>)
  --timestamp UNIX      signing time in unix seconds (default: now)
  --header NAME         signature or token header, when not the scheme's default
  --timestamp-header NAME  also sign a timestamp sent in this header (grafana, hmac-hex, hmac-base64)`;

export const command = defineCommand({
  name: 'sign',
  summary: 'print the signature headers for a request body (stdin)',
  usage: USAGE,
  options: { ...SIGNING_OPTIONS, id: { type: 'string' }, timestamp: { type: 'string' } },
  async run(values, io) {
    const choice = signingChoice(values, io.env);
    const timestamp = stringOption(values, 'timestamp');
    const headers = signForCli(choice, await readAll(io.stdin), {
      id: stringOption(values, 'id') ?? newMessageId(),
      timestamp: timestamp === undefined ? undefined : parseSeconds(timestamp, '--timestamp'),
    });
    for (const [name, value] of Object.entries(headers)) io.stdout.write(`${name}: ${value}\n`);
    return EXIT_OK;
  },
});

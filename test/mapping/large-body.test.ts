import { afterAll, describe, expect, it } from 'vitest';
import { OFF_LOOP_BODY_BYTES, parseAndNormalise } from '../../core/intake/parse-and-normalise';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import { RECEIVED_AT } from './support';

/**
 * Large bodies go to a mapping worker as bytes: the worker decodes them (strict UTF-8, one BOM tolerated) and
 * parses them, so the host never holds them as a string. The answers are the ones the host gives small bodies.
 */
const normaliser = createNormaliser({ provider: 'generic', expression: '{ "externalId": id, "title": $substring(title, 0, 20), "severity": severity, "status": "open", "detectedAt": $receivedAt }' });
afterAll(() => normaliser.close());

const context = { tenant: 't', sourceId: 's', provider: 'generic', receivedAt: RECEIVED_AT };
const json = { 'content-type': 'application/json' };
const bigEvent = (title: string) => Buffer.from(JSON.stringify({ id: 'big-1', title, severity: 'high' }));

describe('large bodies decoded and parsed in the mapping worker', () => {
  it('maps a body over the off-loop size, with a leading BOM', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bigEvent('é'.repeat(OFF_LOOP_BODY_BYTES))]);
    const result = await parseAndNormalise(json, body, 100, normaliser, context);
    expect(result.ok && result.result.candidates.map((candidate) => candidate.incident.title)).toEqual(['é'.repeat(20)]);
  });

  it('refuses a large body that is not valid UTF-8 as malformed, as for a small one', async () => {
    const body = bigEvent('a'.repeat(OFF_LOOP_BODY_BYTES));
    body[body.length - 20] = 0xff;
    expect(await parseAndNormalise(json, body, 100, normaliser, context)).toEqual({ ok: false, code: 'malformed', message: 'the request body is not valid UTF-8' });
    expect(await parseAndNormalise(json, body.subarray(0, 1000), 100, normaliser, context)).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('refuses a large body with a non-JSON Content-Type before sending it anywhere', async () => {
    const result = await parseAndNormalise({ 'content-type': 'text/html' }, bigEvent('a'.repeat(OFF_LOOP_BODY_BYTES)), 100, normaliser, context);
    expect(result).toMatchObject({ ok: false, code: 'unsupported_media_type' });
  });
});

import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { previewMapping } from '../../core/mapping/preview-mapping';
import { verifyRequest, type SchemeName } from '../../core/signing';

interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const INTAKE_URL = 'https://intake.example/intake/acme/source';

/** ServiceNow's script objects, enough for the business rule: a record, properties, generateMac, RESTMessageV2. */
function serviceNowSandbox(record: Record<string, string>, secret: string, sent: SentRequest[]) {
  const properties: Record<string, string> = {
    'glide.servlet.uri': record.instance_url!,
    // the doc: the property holds the base64 encoding of the intake source's secret
    'incident_intake.hmac_key': Buffer.from(secret, 'utf8').toString('base64'),
    'incident_intake.url': INTAKE_URL,
  };
  class RESTMessageV2 {
    private readonly request: SentRequest = { url: '', headers: {}, body: '' };
    setEndpoint(url: string) { this.request.url = url; }
    setHttpMethod(method: string) { if (method.toLowerCase() !== 'post') throw new Error(`method ${method}`); }
    setRequestHeader(name: string, value: string) { this.request.headers[name.toLowerCase()] = value; }
    setRequestBody(body: string) { this.request.body = body; }
    executeAsync() { sent.push(this.request); }
  }
  class CertificateEncryption {
    // ServiceNow decodes the key from base64 and returns the MAC in base64
    generateMac(key: string, algorithm: string, data: string) {
      if (algorithm !== 'HmacSHA256') throw new Error(`algorithm ${algorithm}`);
      return createHmac('sha256', Buffer.from(key, 'base64')).update(data, 'utf8').digest('base64');
    }
  }
  const current = { getUniqueValue: () => record.sys_id, getValue: (field: string) => record[field] ?? '', getDisplayValue: (field: string) => record[field] ?? '' };
  return { current, previous: null, gs: { getProperty: (name: string) => properties[name] }, CertificateEncryption, sn_ws: { RESTMessageV2 } };
}

/** Zabbix's webhook script environment: `value` (the parameters as JSON) and a synchronous HttpRequest. */
function zabbixSandbox(parameters: Record<string, string>, sent: SentRequest[]) {
  class HttpRequest {
    private readonly headers: Record<string, string> = {};
    addHeader(line: string) {
      const colon = line.indexOf(':');
      this.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    post(url: string, body: string) {
      sent.push({ url, headers: this.headers, body });
      return '{"outcome":"accepted"}';
    }
    getStatus() { return 202; }
  }
  return { value: JSON.stringify(parameters), HttpRequest };
}

/**
 * Runs a documented sender script against the fixture its preset is tested with, then checks what it sent:
 * to the intake URL, accepted by the intake's own verifier for the documented scheme, and mapped to an incident.
 */
export async function senderScriptProblems(provider: string, script: string, repo: string): Promise<string[]> {
  const secret = randomBytes(24).toString('hex');
  const sent: SentRequest[] = [];
  let scheme: SchemeName;
  if (provider === 'servicenow') {
    const record = JSON.parse(readFileSync(join(repo, 'test/fixtures/providers/servicenow.business_rule.resolved.json'), 'utf8'));
    runInNewContext(script, serviceNowSandbox(record, secret, sent), { timeout: 1000 });
    scheme = 'hmac-base64';
  } else if (provider === 'zabbix') {
    const parameters = JSON.parse(readFileSync(join(repo, 'test/fixtures/providers/zabbix.webhook.json'), 'utf8'));
    // Zabbix runs the script as a function body (it ends with `return 'OK'`)
    const result = runInNewContext(`(function () {\n${script}\n})()`, zabbixSandbox({ ...parameters, intake_url: INTAKE_URL, intake_token: secret }, sent), { timeout: 1000 });
    if (result !== 'OK') return [`the script returned ${String(result)}`];
    scheme = 'token';
  } else {
    return [`no sandbox for ${provider} scripts`];
  }
  if (sent.length !== 1) return [`the script sent ${sent.length} requests`];
  const [request] = sent as [SentRequest];
  const problems = request.url === INTAKE_URL ? [] : [`posted to ${request.url}`];
  const verified = verifyRequest({ scheme, secrets: [{ value: secret }] }, { headers: request.headers, rawBody: Buffer.from(request.body), now: new Date() });
  if (!verified.ok) problems.push(`the intake's ${scheme} check refuses it: ${verified.code}`);
  const preview = await previewMapping(JSON.parse(request.body), { provider: provider as 'zabbix' });
  if (preview.candidates.length !== 1) problems.push(`maps to ${preview.candidates.length} incidents (quarantined: ${JSON.stringify(preview.quarantined)})`);
  if (JSON.stringify(request.body).includes(secret)) problems.push('the secret is in the body');
  return problems;
}

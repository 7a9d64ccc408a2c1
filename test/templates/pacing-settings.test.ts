import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { destinationSchema } from '../../core/delivery';
import { effectivePolicy } from '../../core/delivery/delivery-policy';
import { kindDefaults } from '../../core/delivery/destination-runtime';
import { checkTemplateValue, destinationInput, renderN8nWorkflow, renderNodeRedFlow, type ResolvedClient } from '../../core/templates';
import { deliveryPolicy } from '../../nodes/shared/delivery-policy-fields';
import { policyFrom } from '../../node-red/shared/delivery-policy-fields';
import { exampleText } from './support';

/** The example template with `edit` applied to its parsed value, checked. */
function templateWith(edit: (value: any) => void) {
  const value = parse(exampleText());
  edit(value);
  const check = checkTemplateValue(value);
  return check;
}

/** What each of the three renderings of one destination amounts to, as the effective policy the worker uses. */
function effectiveEverywhere(client: ResolvedClient, key: string, store: any) {
  const destination = client.destinations.find((candidate) => candidate.key === key)!;
  const core = destinationSchema.parse(destinationInput(client, destination, () => 'whsec_' + Buffer.alloc(32, 1).toString('base64')));
  const effective = (policy: unknown) => {
    const config = destinationSchema.parse({ ...core, policy });
    return effectivePolicy(config.policy, kindDefaults(config));
  };
  const nodeRed = renderNodeRedFlow(client, store).find((node) => node.type === (core.kind === 'webhook' ? 'webhook-out' : 'incidentio-out'))!;
  const n8n = renderN8nWorkflow(client, store).nodes.find((node) => node.parameters.destinationId === key)!;
  return {
    core: effective(core.policy),
    nodeRed: effective(policyFrom(nodeRed as never)),
    n8n: effective(deliveryPolicy(n8n.parameters.policy as never)),
  };
}

describe('templates: ordering and rate limit of a destination', () => {
  it('reach the core, Node-RED and n8n renderings alike (the example: a SOC webhook ordered per incident, in a named bucket)', () => {
    const check = templateWith(() => undefined);
    expect(check.issues).toEqual([]);
    const acme = check.clients.find((client) => client.key === 'acme')!;
    const all = effectiveEverywhere(acme, 'soc-webhook', check.template!.store);
    expect(all.core).toMatchObject({ perIncidentOrder: true, rateLimit: { perMinute: 600, burst: 50 }, rateBucket: 'key:acme-soc' });
    expect(all.nodeRed).toEqual(all.core);
    expect(all.n8n).toEqual(all.core);
    // the incident.io alert destination keeps incident.io's limits, one bucket per alert source
    const globex = check.clients.find((client) => client.key === 'globex')!;
    const alerts = effectiveEverywhere(globex, 'alerts', check.template!.store);
    expect(alerts.core).toMatchObject({ perIncidentOrder: true, rateLimit: { perMinute: 110, burst: 10 }, rateBucket: 'incident-io:https://api.incident.io:alert-source:01HGLOBEXALERTSOURCE' });
    expect(alerts.nodeRed).toEqual(alerts.core);
    expect(alerts.n8n).toEqual(alerts.core);
  });

  it('turn pacing off and ordering off alike everywhere', () => {
    const check = templateWith((value) => {
      value.clients.globex.destinations.alerts.policy = { rateLimit: 'off', ordering: 'none' };
    });
    expect(check.issues).toEqual([]);
    const globex = check.clients.find((client) => client.key === 'globex')!;
    const alerts = effectiveEverywhere(globex, 'alerts', check.template!.store);
    expect(alerts.core).toMatchObject({ perIncidentOrder: false, rateLimit: null });
    expect(alerts.nodeRed).toEqual(alerts.core);
    expect(alerts.n8n).toEqual(alerts.core);
  });

  it('refuses a burst without a rate, an unknown ordering and an unknown key, naming the field', () => {
    const issuesOf = (policy: unknown) =>
      templateWith((value) => {
        value.clients.globex.destinations.alerts.policy = policy;
      }).issues.map((issue) => `${issue.path}: ${issue.message}`);
    expect(issuesOf({ rateLimit: { burst: 5 } }).join('\n')).toContain('clients.globex.destinations.alerts.policy.rateLimit');
    expect(issuesOf({ ordering: 'fifo' }).join('\n')).toContain('clients.globex.destinations.alerts.policy.ordering');
    expect(issuesOf({ rateLimit: { perMinute: 60, bukcet: 'x' } }).join('\n')).toContain('bukcet');
  });
});

import { describe, expect, it } from 'vitest';
import { signedWebhookDestinationId } from '../../nodes/SignedWebhook/destination-id';
import { wiredDeliveryTargets } from '../../nodes/shared/wired-delivery-targets';
import { hookContext, nodeType, type ContextOptions } from './support/fake-context';

const targetsOf = (downstream: ContextOptions['downstream']) => wiredDeliveryTargets(hookContext({ downstream }));

describe('the delivery nodes wired after a trigger, Submit or Promote', () => {
  it('takes incident.io and Signed Webhook nodes wired directly, with their defaults', () => {
    const { targets, skipped } = targetsOf([
      { name: 'Alert event', type: nodeType('incidentIo'), parameters: { resource: 'alertEvent', destinationId: 'pd-alerts', tenant: 'acme' }, direct: true },
      { name: 'incident.io (defaults)', type: nodeType('incidentIo'), parameters: {}, direct: true },
      { name: 'Receiver', type: nodeType('signedWebhook'), parameters: { url: 'https://receiver.example.com/in', destinationId: ' ops-receiver ', tenant: 'acme' }, direct: true },
      { name: 'Unnamed receiver', type: nodeType('signedWebhook'), parameters: { url: 'https://receiver.example.com/in' }, direct: true },
    ]);
    expect(targets).toEqual([
      { tenant: 'acme', id: 'pd-alerts', kind: 'incident-io' },
      { tenant: 'default', id: 'incident-io', kind: 'incident-io' },
      { tenant: 'acme', id: 'ops-receiver', kind: 'webhook' },
      { tenant: 'default', id: signedWebhookDestinationId('', 'https://receiver.example.com/in'), kind: 'webhook' },
    ]);
    expect(targets[3]!.id).toMatch(/^webhook-[0-9a-f]{12}$/);
    expect(skipped).toEqual([]);
  });

  it('leaves out nodes further down, disabled ones, other packages and other node types', () => {
    const { targets, skipped } = targetsOf([
      { name: 'After a filter', type: nodeType('signedWebhook'), parameters: { destinationId: 'filtered' }, direct: false },
      { name: 'Disabled', type: nodeType('signedWebhook'), parameters: { destinationId: 'off' }, direct: true, disabled: true },
      { name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest', parameters: { destinationId: 'x' }, direct: true },
      { name: 'Look-alike', type: 'other-package.signedWebhook', parameters: { destinationId: 'y' }, direct: true },
      { name: 'Promote', type: nodeType('incidentIntake'), parameters: {}, direct: true },
    ]);
    expect(targets).toEqual([]);
    expect(skipped).toEqual([]);
  });

  it('names the nodes only their own execution can place (an expression in a field that makes the destination)', () => {
    const { targets, skipped } = targetsOf([
      { name: 'Per-tenant id', type: nodeType('incidentIo'), parameters: { destinationId: "={{ 'pd-' + $json.tenant }}" }, direct: true },
      { name: 'Per-item tenant', type: nodeType('signedWebhook'), parameters: { destinationId: 'fixed', tenant: '={{ $json.tenant }}' }, direct: true },
      { name: 'Per-item URL', type: nodeType('signedWebhook'), parameters: { url: '={{ $json.url }}' }, direct: true },
      { name: 'Named, URL per item', type: nodeType('signedWebhook'), parameters: { destinationId: 'named', url: '={{ $json.url }}' }, direct: true },
    ]);
    expect(skipped).toEqual(['Per-tenant id', 'Per-item tenant', 'Per-item URL']);
    expect(targets).toEqual([{ tenant: 'default', id: 'named', kind: 'webhook' }]);
  });
});

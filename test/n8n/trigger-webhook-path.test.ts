import { resolveWebhookDescriptionField, type INode, type IWebhookDescription } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';

const webhook = new IncidentIntakeTrigger().description.webhooks![0] as IWebhookDescription;

function node(parameters: INode['parameters']): INode {
  return { id: 'n1', name: 'Intake', type: 'incidentIntakeTrigger', typeVersion: 1, position: [0, 0], parameters };
}

describe('Incident Intake Trigger webhook path', () => {
  it('keeps the expression template the editor evaluates', () => {
    expect(webhook.path).toBe('={{$parameter["path"]}}');
    expect(JSON.parse(JSON.stringify(webhook)).path).toBe('={{$parameter["path"]}}');
  });

  it('resolves a static path without the expression engine', () => {
    expect(resolveWebhookDescriptionField(node({ path: 'intake/pagerduty', mode: 'review' }), webhook, 'path')).toEqual({ resolved: true, value: 'intake/pagerduty' });
  });

  it('leaves a path written as an expression to the engine', () => {
    expect(resolveWebhookDescriptionField(node({ path: '={{ "intake/" + $workflow.id }}' }), webhook, 'path')).toEqual({ resolved: false });
  });
});

import { describe, expect, it } from 'vitest';
import { checkTemplate, renderN8nCredentials, renderN8nDeliveryWorker, renderN8nWorkflow, renderTemplate } from '../../core/templates';
import { CREDENTIAL_TYPES, NODE_DESCRIPTIONS, unknownParameters } from './n8n-descriptions';
import { exampleCheck, exampleText } from './support';

const check = exampleCheck();
const workflows = [...check.clients.map((client) => renderN8nWorkflow(client, check.template.store)), renderN8nDeliveryWorker(check.template.store)];

describe('n8n rendering', () => {
  it('uses only node types, parameters and option values the package declares', () => {
    for (const workflow of workflows) {
      for (const node of workflow.nodes) {
        if (node.type.startsWith('n8n-nodes-base.')) continue;
        const description = NODE_DESCRIPTIONS[node.type];
        expect(description, node.type).toBeDefined();
        expect(unknownParameters(node.parameters, description!.properties), `${workflow.name} / ${node.name}`).toEqual([]);
        for (const type of Object.keys(node.credentials ?? {})) expect(description!.credentials?.map((credential) => credential.name), `${node.name} ${type}`).toContain(type);
      }
    }
  });

  it('wires every connection to a node of the workflow and gives each trigger the source route as its path', () => {
    for (const workflow of workflows) {
      const names = new Set(workflow.nodes.map((node) => node.name));
      expect(names.size).toBe(workflow.nodes.length);
      for (const [from, { main }] of Object.entries(workflow.connections)) {
        expect(names.has(from)).toBe(true);
        for (const target of main.flat()) expect(names.has(target.node), `${from} → ${target.node}`).toBe(true);
      }
    }
    const acme = workflows[0]!;
    expect(acme.nodes.filter((node) => node.type.endsWith('incidentIntakeTrigger')).map((node) => node.parameters.path)).toEqual(['intake/acme/jira', 'intake/acme/alertmanager']);
    expect(acme.connections['jira intake']!.main[1]).toEqual([{ node: 'deliver to incident-io', type: 'main', index: 0 }]);
    expect(acme.connections['promote event']!.main[0]).toEqual([{ node: 'deliver to incident-io', type: 'main', index: 0 }]);
  });

  it('references credentials by id and name; the credentials files have the same ids, known fields and empty secrets', () => {
    for (const client of check.clients) {
      const rendered = renderN8nCredentials(client, check.template.store);
      const byId = new Map(rendered.map(({ credential }) => [credential.id, credential]));
      for (const node of renderN8nWorkflow(client, check.template.store).nodes) {
        for (const [type, reference] of Object.entries(node.credentials ?? {})) expect(byId.get(reference.id)).toMatchObject({ name: reference.name, type });
      }
      for (const { credential, secretFields } of rendered) {
        const fields = CREDENTIAL_TYPES[credential.type]!.properties.map((property) => property.name);
        for (const field of Object.keys(credential.data)) expect(fields, `${credential.type}.${field}`).toContain(field);
        for (const field of Object.keys(secretFields)) expect(credential.data[field]).toBe('');
      }
    }
  });

  it('renders the same files every time (stable ids), one workflow and credentials file per client plus one worker', () => {
    const first = renderTemplate(check.template, check.clients, 'n8n');
    const second = renderTemplate(check.template, check.clients, 'n8n');
    expect(second.files).toEqual(first.files);
    expect(first.files.map((file) => file.path)).toEqual(['acme.workflow.json', 'acme.credentials.json', 'globex.workflow.json', 'globex.credentials.json', 'delivery-worker.workflow.json']);
    expect(new Set(workflows.map((workflow) => workflow.id)).size).toBe(workflows.length);
  });
});

describe('n8n rendering of delivery host lists', () => {
  const text = exampleText()
    .replace('        apiKeyEnv: ACME_INCIDENT_IO_API_KEY\n', '        apiKeyEnv: ACME_INCIDENT_IO_API_KEY\n        allowHosts: [incident-io.internal, 10.20.0.0/16]\n        denyHosts: [metadata.google.internal]\n')
    .replace('        alertSourceTokenEnv: GLOBEX_ALERT_SOURCE_TOKEN\n', '        alertSourceTokenEnv: GLOBEX_ALERT_SOURCE_TOKEN\n        allowHosts: [10.20.0.0/16, alerts.globex.internal]\n');
  const hostCheck = checkTemplate(text);

  it('puts every destination\'s lists on the one store credential, the same in every client\'s credentials file, and says so', () => {
    expect(hostCheck.ok).toBe(true);
    const rendered = renderTemplate(hostCheck.template!, hostCheck.clients, 'n8n');
    const stores = rendered.files
      .filter((file) => file.path.endsWith('.credentials.json'))
      .map((file) => (JSON.parse(file.content) as Array<{ type: string; data: Record<string, unknown> }>).find((credential) => credential.type === 'incidentIntakeStoreApi')!.data);
    expect(stores).toHaveLength(2);
    expect(stores[1]).toEqual(stores[0]);
    expect(stores[0]).toMatchObject({ allowedDeliveryHosts: '10.20.0.0/16, alerts.globex.internal, incident-io.internal', deniedDeliveryHosts: 'metadata.google.internal' });
    const warnings = checkTemplate(text, { hosts: ['n8n'] }).issues.filter((issue) => issue.severity === 'warning' && /per store/.test(issue.message));
    expect(warnings.map((issue) => issue.path)).toEqual(['clients.acme.destinations.incident-io', 'clients.globex.destinations.alerts']);
  });

  it('leaves the lists out of the store credential when no destination has any', () => {
    const rendered = renderN8nCredentials(check.clients[0]!, check.template.store);
    expect(rendered[0]!.credential.data).not.toHaveProperty('allowedDeliveryHosts');
    expect(rendered[0]!.credential.data).not.toHaveProperty('deniedDeliveryHosts');
  });
});

import type { INodeProperties } from 'n8n-workflow';
import { previewMapping } from '../../../core/mapping/preview-mapping';
import { triggerProperties } from '../../IncidentIntakeTrigger/IncidentIntakeTrigger.description';
import { mappingInput, type TriggerSettings } from '../../shared/trigger-settings';
import { shownFor, text, type OperationContext, type Resource } from './operation';

/** The trigger's own mapping fields, so a mapping is tested with exactly the settings it will run with. */
const MAPPING_FIELDS = ['provider', 'severityFilter', 'mapping'];
const shared: INodeProperties[] = triggerProperties
  .filter((property) => MAPPING_FIELDS.includes(property.name))
  .map((property) => ({ ...property, displayOptions: shownFor('mapping', ['test']) }));

async function test(c: OperationContext) {
  const settings = Object.fromEntries(['severityFilter', 'mapping'].map((name) => [name, c.fn.getNodeParameter(name, c.item, undefined)])) as Pick<TriggerSettings, 'mapping' | 'severityFilter'>;
  const raw = c.fn.getNodeParameter('samplePayload', c.item, '{}') as unknown;
  const payload = typeof raw === 'string' ? JSON.parse(raw) : raw;
  return previewMapping(payload, { provider: text(c, 'provider') as never, ...mappingInput(settings) });
}

export const mappingResource: Resource = {
  operations: {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['mapping'] } },
    options: [{ name: 'Test', value: 'test', action: 'Test a mapping on a sample payload', description: 'Shows the incidents, quarantined and filtered alerts a payload would give; stores nothing' }],
    default: 'test',
  },
  fields: [
    ...shared,
    {
      displayName: 'Sample Payload',
      name: 'samplePayload',
      type: 'json',
      default: '{}',
      required: true,
      description: "A payload as the sender sends it, e.g. from the provider's docs or an earlier execution",
      displayOptions: shownFor('mapping', ['test']),
    },
  ],
  run: { test },
};

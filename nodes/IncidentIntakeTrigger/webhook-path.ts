import * as workflow from 'n8n-workflow';

const PATH_TEMPLATE = '={{$parameter["path"]}}';

/**
 * The webhook's `path` field. Where n8n-workflow offers `webhookDescriptionFields` (n8n 2.41 and later), the
 * template carries a native resolver, so n8n reads a static path straight from the node's parameters instead
 * of evaluating the expression (under the default `vm` expression engine that costs an isolate). Older n8n
 * versions get the plain template and evaluate it as before.
 */
export function webhookPathField(): { path: string } {
  const { webhookDescriptionFields, fromParameter } = workflow as Partial<typeof workflow>;
  if (typeof webhookDescriptionFields !== 'function' || typeof fromParameter !== 'function') return { path: PATH_TEMPLATE };
  const fields = webhookDescriptionFields({ path: fromParameter('path') });
  return fields.path === PATH_TEMPLATE ? fields : { path: PATH_TEMPLATE };
}

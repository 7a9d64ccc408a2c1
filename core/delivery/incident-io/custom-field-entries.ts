import type { CanonicalIncident } from '../../incident/canonical-incident';
import type { IncidentIoCustomField } from '../destination-config';

export type CustomFieldValue = { value_text: string } | { value_link: string } | { value_option_id: string } | { value_catalog_entry_id: string } | { value_numeric: string };

export interface CustomFieldEntry {
  custom_field_id: string;
  values: CustomFieldValue[];
}

/** Fills the configured custom fields from the incident; a field with nothing to say is left out. */
export function customFieldEntries(incident: CanonicalIncident, fields: readonly IncidentIoCustomField[]): CustomFieldEntry[] {
  return fields.flatMap((field) => {
    const values = valuesFor(sourceValues(incident, field.from), field);
    return values.length > 0 ? [{ custom_field_id: field.customFieldId, values }] : [];
  });
}

function sourceValues(incident: CanonicalIncident, from: IncidentIoCustomField['from']): string[] {
  if (from.startsWith('label:')) {
    const label = incident.labels?.[from.slice('label:'.length)];
    return label === undefined ? [] : [label];
  }
  switch (from) {
    case 'regulatory_refs':
      return incident.regulatoryRefs;
    case 'affected_systems':
      return incident.affectedSystems;
    case 'source_url':
      return incident.sourceUrl ? [incident.sourceUrl] : [];
    case 'external_id':
      return [incident.externalId];
    case 'dedupe_key':
      return [incident.dedupeKey];
    default:
      return [incident.provider];
  }
}

function valuesFor(values: string[], field: IncidentIoCustomField): CustomFieldValue[] {
  if (values.length === 0) return [];
  switch (field.as) {
    case 'text':
      return [{ value_text: values.join('; ') }];
    case 'link':
      return values.map((value) => ({ value_link: value }));
    case 'numeric':
      return values.filter((value) => Number.isFinite(Number(value))).map((value) => ({ value_numeric: value }));
    case 'option':
      return mapped(values, field.ids).map((id) => ({ value_option_id: id }));
    case 'catalog_entry':
      return mapped(values, field.ids).map((id) => ({ value_catalog_entry_id: id }));
  }
}

function mapped(values: string[], ids: Record<string, string> | undefined): string[] {
  return values.flatMap((value) => (ids?.[value] === undefined ? [] : [ids[value]!]));
}

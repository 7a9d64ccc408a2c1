import { describe, expect, it } from 'vitest';
import { mappingConfigSchema } from '../../core/mapping/mapping-config';
import { validateMappingConfig } from '../../core/mapping/validate-mapping-config';

describe('mapping config', () => {
  it('accepts a preset-only config and a fully customised one', () => {
    expect(validateMappingConfig({ provider: 'grafana' })).toEqual({ ok: true, config: { provider: 'grafana' } });
    const full = {
      provider: 'zabbix',
      expression: '{"title": event_name}',
      fieldOverrides: { severity: '"high"' },
      customFields: { team: 'host_name' },
      severityFilter: ['critical', 'high'],
      regulatoryRefsPath: '"DORA"',
      instance: 'zbx-eu',
      timezone: 'Europe/Berlin',
      severityTable: { '3': 'high' },
      statusTable: { '1': 'acknowledged' },
    };
    expect(validateMappingConfig(full)).toEqual({ ok: true, config: full });
  });

  it('names every shape problem by field', () => {
    const result = validateMappingConfig({
      provider: 'checkmk',
      fieldOverrides: { priority: 'x' },
      customFields: { '9lives': 'x' },
      severityFilter: ['urgent'],
      timezone: 'Mars/Olympus',
      severityTable: { P9: 'huge' },
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((issue) => issue.field).sort()).toEqual(
        ['extra', 'customFields.9lives', 'fieldOverrides.priority', 'provider', 'severityFilter.0', 'severityTable.P9', 'timezone'].sort(),
      );
      expect(result.issues.find((issue) => issue.field === 'fieldOverrides.priority')?.message).toMatch(/^is not a canonical field; use one of instance, externalId/);
      expect(result.issues.find((issue) => issue.field === 'extra')?.message).toBe('is not a mapping setting');
    }
  });

  it('reports JSONata syntax errors per field with line and column', () => {
    const result = validateMappingConfig({
      provider: 'jira',
      fieldOverrides: { title: 'issue.fields.summary &' },
      customFields: { team: '$lookup(issue.fields, "team"' },
      regulatoryRefsPath: 'issue.fields.labels[',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map(({ field, line, column }) => ({ field, line, column }))).toEqual([
        { field: 'fieldOverrides.title', line: 1, column: 23 },
        { field: 'customFields.team', line: 1, column: 29 },
        { field: 'regulatoryRefsPath', line: 1, column: 21 },
      ]);
      expect(result.issues.map((issue) => issue.message)).toEqual([
        'Unexpected end of expression',
        'Expected ")" before end of expression',
        'Expected "]" before end of expression',
      ]);
      expect(result.issues.every((issue) => typeof issue.message === 'string' && issue.message.length > 0)).toBe(true);
    }
  });

  it('is a zod schema hosts can embed', () => {
    expect(mappingConfigSchema.safeParse({ provider: 'generic', severityFilter: [] }).success).toBe(false);
  });
});

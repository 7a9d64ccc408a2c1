/** Configured like the account the contract examples come from. */
export const INCIDENT_TARGET = {
  kind: 'incident-io',
  id: 'incident-io',
  tenant: 't1',
  target: 'incident',
  apiKey: 'inc-api-key-123456',
  severityIds: { critical: '01FH5TZRWMNAFB0DZ23FD1TV96', high: '01FH5TZRWMNAFB0DZ23FD1TV95' },
  statusIds: { resolved: '01FCNDV6P870EA6S7TK1DSYD9Z' },
  incidentTypeId: '01FH5TZRWMNAFB0DZ23FD1TV97',
  customFields: [
    { customFieldId: '01FCNDV6P870EA6S7TK1DSYDG1', from: 'regulatory_refs', as: 'text' },
    { customFieldId: '01FCNDV6P870EA6S7TK1DSYDG2', from: 'source_url', as: 'link' },
    {
      customFieldId: '01FCNDV6P870EA6S7TK1DSYDG3',
      from: 'affected_systems',
      as: 'catalog_entry',
      ids: { 'payments-api': '01GW2G3V0S59R238FAHPDS1R70', 'eu-west-1-edge': '01GW2G3V0S59R238FAHPDS1R71' },
    },
  ],
  detectedAtTimestampId: '01FCNDV6P870EA6S7TK1DSYD5H',
} as const;

import type { IncidentIoAccountDef, IncidentIoAccountNode } from './shared/incidentio-account-settings';
import type { NodeAPI } from './shared/node-red-types';

export = function registerIncidentIoAccount(RED: NodeAPI): void {
  function IncidentIoAccount(this: IncidentIoAccountNode, def: IncidentIoAccountDef) {
    RED.nodes.createNode(this, def);
    this.baseUrl = def.baseUrl?.trim() || 'https://api.incident.io';
    this.alertSourceConfigId = def.alertSourceConfigId?.trim() || undefined;
  }
  RED.nodes.registerType('incidentio-account', IncidentIoAccount as never, {
    credentials: { apiKey: { type: 'password' }, alertSourceToken: { type: 'password' } },
  });
};

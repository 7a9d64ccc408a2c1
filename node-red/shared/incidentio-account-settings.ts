import type { Node, NodeDef } from './node-red-types';

export interface IncidentIoAccountDef extends NodeDef {
  baseUrl?: string;
  alertSourceConfigId?: string;
}

export interface IncidentIoAccountCredentials {
  apiKey?: string;
  alertSourceToken?: string;
}

export interface IncidentIoAccountNode extends Node<IncidentIoAccountCredentials> {
  baseUrl: string;
  alertSourceConfigId?: string;
}

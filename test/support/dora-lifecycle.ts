/**
 * What a flow receives, once each, for the DORA major incident both hosts' lifecycle e2e tests carry from intake
 * to its final report (leads `800h, 10s`; the initial report filed late): the same list for n8n and Node-RED.
 */
export const DORA_LIFECYCLE_EVENTS: readonly string[] = [
  'incident.acknowledged',
  'incident.owner_changed',
  'evidence.added',
  'incident.classified',
  'deadline.approaching dora.initial 33d8h',
  'deadline.approaching dora.initial 10s',
  'deadline.missed dora.initial',
  'report.submitted dora.initial',
  'deadline.approaching dora.intermediate 33d8h',
  'report.submitted dora.intermediate',
  'deadline.approaching dora.final 33d8h',
  'report.submitted dora.final',
];

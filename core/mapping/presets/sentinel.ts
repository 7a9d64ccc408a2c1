import type { Preset } from './preset';

/**
 * Microsoft Sentinel through a Logic App (playbook) with the "Microsoft Sentinel incident" trigger whose
 * HTTP action posts the trigger body (`{object: {id, name, properties}, workspaceInfo, workspaceId}`).
 * A bare incident resource (`{id, name, properties}`) from the REST API is accepted too.
 */
export const sentinelPreset: Preset = {
  provider: 'sentinel',
  expression: String.raw`(
  $inc := $exists(object) ? object : $;
  $p := $inc.properties;
  $workspaceFromId := $contains($inc.id, "/workspaces/") ? $substringBefore($substringAfter($inc.id, "/workspaces/"), "/");
  {
    "externalId": $inc.name,
    "title": $p.title,
    "description": $p.description,
    "detectedAt": $toUtcIso($p.createdTimeUtc ?: $p.firstActivityTimeUtc),
    "severity": $p.severity,
    "status": $p.status,
    "instance": workspaceInfo.WorkspaceName ?: $workspaceFromId,
    "sourceUrl": $p.incidentUrl,
    "affectedSystems": [$p.relatedEntities[kind = "Host"].properties.hostName],
    "labels": {
      "incidentNumber": $exists($p.incidentNumber) ? $string($p.incidentNumber),
      "tactics": $exists($p.additionalData.tactics) ? $join($p.additionalData.tactics, ", "),
      "sentinelLabels": $exists($p.labels.labelName) ? $join($p.labels.labelName, ", "),
      "classification": $p.classification,
      "firstActivityAt": $toUtcIso($p.firstActivityTimeUtc)
    },
    "raw": {
      "severity": $p.severity,
      "status": $p.status,
      "classification": $p.classification
    }
  }
)`,
  severityTable: { high: 'high', medium: 'medium', low: 'low', informational: 'info' },
  statusTable: { new: 'open', active: 'acknowledged', closed: 'resolved' },
  notes:
    'An automation rule (incident created/updated) running a Logic App: trigger "Microsoft Sentinel incident", ' +
    'then an HTTP POST to the intake URL with body = the trigger body and a token header.',
};

import type { Preset } from './preset';

/**
 * Microsoft Sentinel through a Logic App (playbook) with the "Microsoft Sentinel incident" trigger whose
 * HTTP action posts the trigger body (`{object: {id, name, properties}, workspaceInfo, workspaceId}`).
 * Also accepted: a bare incident resource (`{id, name, properties}`) from the REST API, a `SecurityIncident`
 * row from Log Analytics (`IncidentName`, `Title`, `Severity`, `Status`, `CreatedTime`, `IncidentUrl`; same
 * identity as the incident trigger), and the "Microsoft Sentinel alert" trigger body (a SecurityAlert:
 * `SystemAlertId`, `AlertDisplayName`, `Severity`, `Status` New|InProgress|Resolved|Dismissed, `StartTimeUtc`; also
 * Defender for Cloud workflow automation and Log Analytics `SecurityAlert` rows with `AlertName`, `AlertSeverity`,
 * `StartTime`).
 */
export const sentinelPreset: Preset = {
  provider: 'sentinel',
  expression: String.raw`(
  $workspaceIn := function($s) { $contains($s, "/workspaces/") ? $substringBefore($substringAfter($s, "/workspaces/"), "/") };
  $list := function($v) { $type($v) = "string" ? ($parseJson($v) ?: $v) : $v };
  $joined := function($v) { $exists($v) ? $join($list($v).$string(), ", ") };
  $exists(SystemAlertId) ? (
    $entities := $list(Entities);
    $severity := Severity ?: AlertSeverity;
    {
      "externalId": SystemAlertId,
      "title": AlertDisplayName ?: DisplayName ?: AlertName,
      "description": Description,
      "detectedAt": $toUtcIso(StartTimeUtc ?: StartTime ?: TimeGenerated),
      "eventTime": $toUtcIso(ProcessingEndTime ?: TimeGenerated),
      "severity": $severity,
      "status": Status,
      "instance": WorkspaceId,
      "sourceUrl": $hostOf(AlertLink) ? AlertLink,
      "affectedSystems": [$entities[$lowercase(Type) = "host"].HostName, CompromisedEntity],
      "labels": {
        "alertType": AlertType,
        "productName": ProductName,
        "providerAlertId": ProviderAlertId,
        "tactics": $joined(Tactics),
        "kind": "alert"
      },
      "raw": {
        "severity": $severity,
        "status": Status
      }
    }
  ) : $exists(IncidentName) and $not($exists(properties)) ? {
    "externalId": IncidentName,
    "title": Title,
    "description": Description,
    "detectedAt": $toUtcIso(CreatedTime ?: FirstActivityTime),
    "eventTime": $toUtcIso(LastModifiedTime),
    "severity": Severity,
    "status": Status,
    "instance": $workspaceIn(IncidentUrl),
    "sourceUrl": $hostOf(IncidentUrl) ? IncidentUrl,
    "labels": {
      "incidentNumber": $exists(IncidentNumber) ? $string(IncidentNumber),
      "sentinelLabels": $joined($list(Labels).labelName),
      "classification": Classification,
      "firstActivityAt": $toUtcIso(FirstActivityTime)
    },
    "raw": {
      "severity": Severity,
      "status": Status,
      "classification": Classification
    }
  } : (
    $inc := $exists(object) ? object : $;
    $p := $inc.properties;
    {
      "externalId": $inc.name,
      "title": $p.title,
      "description": $p.description,
      "detectedAt": $toUtcIso($p.createdTimeUtc ?: $p.firstActivityTimeUtc),
      "eventTime": $toUtcIso($p.lastModifiedTimeUtc),
      "severity": $p.severity,
      "status": $p.status,
      "instance": workspaceInfo.WorkspaceName ?: $workspaceIn($inc.id) ?: $workspaceIn($p.incidentUrl),
      "sourceUrl": $hostOf($p.incidentUrl) ? $p.incidentUrl,
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
  )
)`,
  severityTable: { high: 'high', medium: 'medium', low: 'low', informational: 'info' },
  statusTable: {
    new: 'open',
    active: 'acknowledged',
    closed: 'resolved',
    inprogress: 'acknowledged',
    'in progress': 'acknowledged',
    resolved: 'resolved',
    dismissed: 'resolved',
  },
  notes:
    'An automation rule (incident created/updated) running a Logic App: trigger "Microsoft Sentinel incident", ' +
    'then an HTTP POST to the intake URL with body = the trigger body and a token header.',
};

import type { Preset } from './preset';

/**
 * Jira Cloud issue webhooks (`jira:issue_created|updated|deleted`, body `{webhookEvent, issue}`) and Jira
 * Automation "Send web request" with "Issue data (Jira format)" (`{issue}`) or "Issue data (Automation
 * format)" (the issue itself at the top level, numeric `id`). Identity is the immutable `issue.id`; the key
 * changes when an issue moves between projects, so it is only a label and part of the link. Other webhook events
 * (`comment_*`, `worklog_*`, `issuelink_*`, `attachment_*`, `issue_property_*`, project/board/sprint/version/user
 * events) describe no issue state and yield no candidate; Jira Server/DC sends comments as `jira:issue_updated`
 * with the whole issue, which maps like any update. The link keeps a Server/DC context path (`/jira/browse/KEY`).
 */
export const jiraPreset: Preset = {
  provider: 'jira',
  expression: String.raw`(
  $issueEvents := ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted"];
  $issue := $exists(issue) ? issue : $;
  $f := $issue.fields;
  $resolved := webhookEvent = "jira:issue_deleted" or $lowercase($f.status.statusCategory.key) = "done" or $type($f.resolution) = "object";
  $host := $hostOf($issue.self);
  $base := $host ? ($contains($issue.self, "/rest/") ? $substringBefore($issue.self, "/rest/") : "https://" & $host);
  $text := function($v) { $type($v) = "object" ? $join($v.**.text, " ") : $v };
  $priority := $f.priority.name;
  $pLevel := $match($priority, /^P([1-5])(?![0-9])/i).groups[0];
  $exists(webhookEvent) and $not(webhookEvent in $issueEvents) ? [] : {
    "externalId": $string($issue.id),
    "title": $f.summary,
    "description": $text($f.description),
    "detectedAt": $toUtcIso($f.created),
    "eventTime": $toUtcIso($$.timestamp) ?: $toUtcIso($f.updated),
    "severity": $pLevel ? "P" & $pLevel : $priority,
    "status": $resolved ? "done" : $f.status.statusCategory.key,
    "instance": $host,
    "sourceUrl": $base and $issue.key ? $base & "/browse/" & $issue.key,
    "affectedSystems": [$f.components.name],
    "labels": {
      "issueKey": $issue.key,
      "project": $f.project.key,
      "issueType": $f.issuetype.name
    },
    "raw": {
      "severity": $priority,
      "status": $f.status.name,
      "statusCategory": $f.status.statusCategory.key,
      "resolution": $f.resolution.name,
      "event": webhookEvent
    }
  }
)`,
  severityTable: {
    highest: 'critical',
    blocker: 'critical',
    critical: 'critical',
    high: 'high',
    major: 'high',
    medium: 'medium',
    low: 'low',
    minor: 'low',
    lowest: 'info',
    trivial: 'info',
    p1: 'critical',
    p2: 'high',
    p3: 'medium',
    p4: 'low',
    p5: 'info',
  },
  statusTable: { new: 'open', indeterminate: 'acknowledged', done: 'resolved' },
  notes:
    'Jira admin webhook (Settings → System → WebHooks) for "Issue: created, updated, deleted" with a secret (X-Hub-Signature), ' +
    'or an Automation rule with "Send web request", body "Issue data (Jira format)" or "Issue data (Automation format)" and a hidden token header. ' +
    'Severity comes from the issue priority; status from the status category and resolution.',
};

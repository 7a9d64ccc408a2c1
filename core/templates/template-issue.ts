/** One problem with a template, located in the file when possible. Messages never repeat a value. */
export interface TemplateIssue {
  severity: 'error' | 'warning';
  /** Path in the template, e.g. `clients.acme.sources.jira.auth.scheme`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export function templateError(path: readonly PropertyKey[], message: string): TemplateIssue {
  return { severity: 'error', path: pathText(path), message };
}

export function templateWarning(path: readonly PropertyKey[], message: string): TemplateIssue {
  return { severity: 'warning', path: pathText(path), message };
}

export function pathText(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** `file:line:column: error: path: message`, as editors and CI logs link it. */
export function formatTemplateIssue(issue: TemplateIssue, file?: string): string {
  const place = [file, issue.line, issue.column].filter((part) => part !== undefined).join(':');
  const where = issue.path ? `${issue.path}: ` : '';
  return `${place ? `${place}: ` : ''}${issue.severity}: ${where}${issue.message}`;
}

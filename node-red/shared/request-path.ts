/**
 * Characters that WHATWG URL parsing leaves unchanged in a path: no dot (dot segments are resolved), no `%`
 * (`%2e` is a dot too), no backslash (read as a slash), and nothing from the path percent-encode set.
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-_~!$&'()*+,;=:@/]*$/;

/**
 * The path of a request target, exactly as `new URL(url, base).pathname` gives it, without parsing a URL
 * for the common plain target (`/intake/jira-prod`, with or without a query): it runs for every POST the
 * runtime receives, intake or not. `undefined` for a target URL parsing rejects (`//[`), which no route has.
 */
export function requestPath(url: string | undefined): string | undefined {
  const target = url ?? '/';
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  if (PLAIN_PATH.test(path)) return path;
  try {
    return new URL(target, 'http://x').pathname;
  } catch {
    return undefined;
  }
}

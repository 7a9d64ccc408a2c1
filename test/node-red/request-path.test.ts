import { describe, expect, it } from 'vitest';
import { requestPath } from '../../node-red/shared/request-path';

const viaUrl = (url: string | undefined) => {
  try {
    return new URL(url ?? '/', 'http://x').pathname;
  } catch {
    return undefined;
  }
};

describe('requestPath (which intake route a request is for)', () => {
  const tricky = [
    undefined, '', '/', '/intake/jira-prod', '/intake/jira-prod?x=1&y=2', '/intake/jira-prod/', '/INTAKE/Jira-Prod',
    '/intake/./jira-prod', '/a/../intake/jira-prod', '/intake/%2e%2e/jira-prod', '/intake/jira%2Dprod', '/intake\\jira-prod',
    '//evil.example/intake/jira-prod', '/intake/jira-prod#frag', '/intake/jira prod', '/intake/"jira"', '/intake/{jira}',
    '/intake/jira^prod', '/intake/jira|prod', '/intake/jïra', '/intake/jira-prod?a=/../b', 'http://host/intake/jira-prod',
    '/intake/jira-prod?', '/intake/j;a=b', "/intake/it's", '/intake/@:$!*+,=~_', '/intake/jira-prod/..', '/intake/..',
    '//[', '//%', 'http://[/intake',
  ];

  it('gives what URL parsing gives, for plain and tricky request targets alike (nothing where it throws)', () => {
    for (const url of tricky) expect(requestPath(url), String(url)).toBe(viaUrl(url));
  });

  it('agrees with URL parsing on random targets', () => {
    const alphabet = ['/', '.', '%', '2', 'e', 'a', 'Z', '?', '#', '\\', ' ', '-', '_', '~', ':', '@', '^', '{', '"', 'é', '\t'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      let url = '/';
      const length = Math.floor(random() * 12);
      for (let j = 0; j < length; j++) url += alphabet[Math.floor(random() * alphabet.length)];
      expect(requestPath(url), url).toBe(viaUrl(url));
    }
  });
});

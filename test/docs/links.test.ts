import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedFiles } from './markdown-blocks';

/** Relative links between the docs (and to repository files) point at something that exists, anchors included. */
const REPO = join(__dirname, '../..');

function anchors(markdown: string): Set<string> {
  const slugs = markdown
    .split('\n')
    .filter((line) => /^#{1,6}\s/.test(line))
    .map((line) => line.replace(/^#+\s+/, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-'));
  return new Set(slugs);
}

describe('links in README.md and docs/', () => {
  for (const doc of documentedFiles(REPO)) {
    it(doc, () => {
      const text = readFileSync(join(REPO, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
      const broken: string[] = [];
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:)/.test(target!)) continue;
        const [path, anchor] = target!.split('#');
        // a *-snippet.md is text to paste into README.md: its links are relative to the repository root
        const base = doc.endsWith('-snippet.md') ? REPO : dirname(join(REPO, doc));
        const file = path ? join(base, path) : join(REPO, doc);
        if (!existsSync(file)) broken.push(target!);
        else if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) broken.push(target!);
      }
      expect(broken).toEqual([]);
    });
  }
});

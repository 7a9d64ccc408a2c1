import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** How the HTML comment right before a fence says to treat the block. */
export interface Marker {
  kind: string;
  args: string[];
  /** For `skip (reason)`. */
  reason?: string;
}

export interface CodeBlock {
  /** Relative to the repository, e.g. `docs/quick-start.md`. */
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  content: string;
  marker?: Marker;
}

const MARKER = /^<!--\s*docs-test:\s*(\S+)\s*(.*?)\s*-->$/;

function parseMarker(line: string): Marker | undefined {
  const match = MARKER.exec(line.trim());
  if (!match) return undefined;
  const [, kind, rest] = match;
  const reason = /^\((.+)\)$/.exec(rest!)?.[1];
  return { kind: kind!, args: reason ? [] : rest!.split(/\s+/).filter(Boolean), ...(reason && { reason }) };
}

/** Every fenced block of a Markdown file, with the marker on the line right before its fence. */
export function codeBlocks(repo: string, file: string): CodeBlock[] {
  const lines = readFileSync(join(repo, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[index]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !lines[end]!.trim().startsWith(fence)) body.push(lines[end++]!);
    const marker = index > 0 ? parseMarker(lines[index - 1]!) : undefined;
    blocks.push({ doc: file, line: index + 1, lang: open[3]!.toLowerCase(), content: `${body.join('\n')}\n`, ...(marker && { marker }) });
    index = end;
  }
  return blocks;
}

/** README.md and every Markdown file under docs/: README, the docs index and the quick start first (later pages build on its state), then alphabetically. */
export function documentedFiles(repo: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(repo, dir))
      .sort()
      .flatMap((name) => {
        const path = join(dir, name);
        if (statSync(join(repo, path)).isDirectory()) return walk(path);
        return name.endsWith('.md') ? [relative(repo, join(repo, path))] : [];
      });
  const first = ['README.md', 'docs/README.md', 'docs/quick-start.md'];
  return [...first, ...walk('docs').filter((file) => !first.includes(file))];
}

import type { CodeBlock, Marker } from './markdown-blocks';

/**
 * Blocks in pages other engineers own that carry no marker, and how this test treats them; found by page and
 * first line, so an edited block falls back to the general rules (and fails loudly) instead of being skipped.
 * Prefer a marker in the page itself.
 */
const UNMARKED: Array<{ doc: string; firstLine: string; marker: Marker }> = [
  { doc: 'docs/postgresql.md', firstLine: 'postgres://intake:secret@db.internal:5432/intake', marker: { kind: 'schema', args: ['store-urls'] } },
  { doc: 'docs/postgresql.md', firstLine: 'CREATE ROLE intake LOGIN PASSWORD', marker: { kind: 'postgres-sql', args: [] } },
  {
    doc: 'docs/postgresql.md',
    firstLine: 'npx vitest run test/store',
    marker: { kind: 'skip', args: [], reason: 'runs the store and scale suites and the benchmark themselves; npm test runs those suites' },
  },
];

export function withUnmarkedMarkers(blocks: CodeBlock[]): CodeBlock[] {
  return blocks.map((block) => {
    if (block.marker) return block;
    const firstLine = block.content.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
    const known = UNMARKED.find((entry) => entry.doc === block.doc && firstLine.startsWith(entry.firstLine));
    return known ? { ...block, marker: known.marker } : block;
  });
}

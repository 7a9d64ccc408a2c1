import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { TemplateIssue } from './template-issue';

export interface ParsedTemplateText {
  /** The plain data, or undefined when the text does not parse. */
  value: unknown;
  issues: TemplateIssue[];
  /** Line and column (1-based) of the value at a template path, else of its nearest ancestor in the file. */
  locate(path: readonly PropertyKey[]): { line: number; column: number } | undefined;
}

/** Parses YAML or JSON (YAML 1.2 reads JSON too), refusing duplicate keys, and keeps positions for messages. */
export function parseTemplateText(text: string): ParsedTemplateText {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const issues: TemplateIssue[] = document.errors.map((error) => ({
    severity: 'error' as const,
    path: '',
    message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    line: lineCounter.linePos(error.pos[0]).line,
    column: lineCounter.linePos(error.pos[0]).col,
  }));
  const locate = (path: readonly PropertyKey[]) => {
    const offset = offsetOf(document, path);
    if (offset === undefined) return undefined;
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  return { value: issues.length === 0 ? document.toJS() : undefined, issues, locate };
}

/** The deepest node on the path that exists: a missing key points at its parent, an unknown key at itself. */
function offsetOf(document: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = document.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = (node as Node | undefined)?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

// Global expressions whose lastIndex is set before each use: the scan is synchronous, so sharing them is safe.
const STRUCTURE = /["[\]{}]/g;
const STRING_END = /["\\]/g;

/**
 * Whether JSON text nests deeper than `maxDepth`, found by one pass over the text before parsing, so that a
 * hostile payload never reaches a recursive walk deep enough to overflow the stack. The pass jumps from one
 * bracket or quote to the next with regular expressions (native scanning), and through strings from one quote
 * or backslash to the next: a char-by-char loop took tens of milliseconds of the event loop on a 2 MB body.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  STRUCTURE.lastIndex = 0;
  for (let match = STRUCTURE.exec(text); match !== null; match = STRUCTURE.exec(text)) {
    const char = text.charCodeAt(match.index);
    if (char === 0x22) {
      const end = endOfString(text, match.index + 1);
      if (end < 0) return false;
      STRUCTURE.lastIndex = end + 1;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > maxDepth) return true;
    } else {
      depth--;
    }
  }
  return false;
}

/** Index of the quote closing a string whose content starts at `from`; -1 when the text ends first. */
function endOfString(text: string, from: number): number {
  STRING_END.lastIndex = from;
  for (let match = STRING_END.exec(text); match !== null; match = STRING_END.exec(text)) {
    if (text.charCodeAt(match.index) === 0x22) return match.index;
    STRING_END.lastIndex = match.index + 2;
  }
  return -1;
}

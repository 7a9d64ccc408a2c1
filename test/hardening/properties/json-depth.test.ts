import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from '../../../core/intake/json-depth';
import { count, printTally, propertyRuns } from './runs';

afterAll(() => printTally('json-depth'));

/** The obvious character-by-character scan the fast one replaced, kept here as the oracle. */
function oracle(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > maxDepth) return true;
    } else if (char === '}' || char === ']') depth--;
  }
  return false;
}

/** Text made mostly of the characters the scan cares about, so strings, escapes and brackets interleave. */
const jsonish = fc.array(fc.constantFrom('{', '}', '[', ']', '"', '\\', 'a', ',', ':', '\\"', '\\\\'), { maxLength: 300 }).map((parts) => parts.join(''));

describe('the JSON depth pre-scan', () => {
  it('agrees with a character-by-character scan on any text', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ maxLength: 200 }), fc.jsonValue().map((value) => JSON.stringify(value) ?? '')), fc.integer({ min: 1, max: 12 }), (text, maxDepth) => {
        count('depth-scan');
        expect(jsonDepthExceeds(text, maxDepth)).toBe(oracle(text, maxDepth));
      }),
      propertyRuns(3000),
    );
  });
});

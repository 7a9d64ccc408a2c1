/**
 * Removes own `__proto__` keys from a freshly parsed JSON value, in place. JSON.parse makes them ordinary
 * own properties (nothing is polluted yet), but a later merge or spread into another object would turn one
 * into a prototype. A walk rather than a JSON.parse reviver: the reviver is called for every value, and made
 * a 2 MB array block the event loop for most of a second.
 */
export function dropPrototypeKeys(value: unknown, text: string): void {
  if (!mayContainPrototypeKey(text)) return;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      for (const item of current) if (item !== null && typeof item === 'object') pending.push(item);
      continue;
    }
    const record = current as Record<string, unknown>;
    if (Object.hasOwn(record, '__proto__')) delete record['__proto__'];
    for (const key in record) {
      const item = record[key];
      if (item !== null && typeof item === 'object') pending.push(item);
    }
  }
}

/** The key can only be there if the text spells it, directly or through \u escapes. */
function mayContainPrototypeKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('\\u');
}

/** `value` itself when nothing is excluded; otherwise a deep copy without the attributes at the given dot paths (`raw`, `labels.internal_note`). */
export function excludeAttributes<T>(value: T, paths: readonly string[]): T {
  if (paths.length === 0) return value;
  const copy = structuredClone(value);
  for (const path of paths) removePath(copy, path.split('.'));
  return copy;
}

function removePath(target: unknown, segments: string[]): void {
  const [head, ...rest] = segments;
  if (head === undefined || typeof target !== 'object' || target === null) return;
  const record = target as Record<string, unknown>;
  if (rest.length === 0) delete record[head];
  else removePath(record[head], rest);
}

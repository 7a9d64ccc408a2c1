import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Values that trip up mappings: placeholders, odd dates, huge numbers, prototype names, long text. */
const awkward: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    '{EVENT.RECOVERY.DATE}', '$ALERT_PRIORITY', '2024-13-45T99:99:99Z', '1970-01-01', 'not a date', '', ' ', 'NaN', '-0', '1e309',
    '__proto__', 'constructor', 'toString', 'null', 'undefined', '\u0000', '\ud800', 'critical', 'RESOLVED', 'P1', 'sev1',
  ),
  fc.constantFrom<Json>(0, -1, 1.5, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 1700000000, 1700000000000, true, false, null, [], {}),
  fc.string({ maxLength: 2_000 }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

function pathsOf(value: Json, path: Path = [], out: Path[] = [], depth = 0): Path[] {
  out.push(path);
  if (depth > 8 || value === null || typeof value !== 'object') return out;
  for (const [key, item] of Array.isArray(value) ? value.entries() : Object.entries(value)) pathsOf(item as Json, [...path, key], out, depth + 1);
  return out;
}

function apply(root: Json, path: Path, change: (parent: Record<string | number, Json>, key: string | number) => void): Json {
  if (path.length === 0) return root;
  let parent = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  change(parent, path[path.length - 1]!);
  return root;
}

type Mutation = { at: number; kind: 'replace' | 'delete' | 'wrap' | 'duplicate'; value: Json };

function mutate(original: Json, mutations: Mutation[]): Json {
  let root = structuredClone(original);
  for (const mutation of mutations) {
    const paths = pathsOf(root);
    const path = paths[mutation.at % paths.length]!;
    if (path.length === 0) {
      if (mutation.kind === 'replace') root = mutation.value;
      continue;
    }
    root = apply(root, path, (parent, key) => {
      if (mutation.kind === 'replace') parent[key] = mutation.value;
      else if (mutation.kind === 'delete') delete parent[key];
      else if (mutation.kind === 'wrap') parent[key] = [parent[key]!, mutation.value];
      else parent[key] = structuredClone(parent[key]!);
    });
  }
  return root;
}

/** A provider payload with a few of its values replaced, removed, wrapped in lists or swapped for awkward ones. */
export function mutated(fixtures: Json[]): fc.Arbitrary<Json> {
  const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom<Mutation['kind']>('replace', 'delete', 'wrap', 'duplicate'), value: awkward });
  return fc.tuple(fc.constantFrom(...fixtures), fc.array(mutation, { maxLength: 6 })).map(([fixture, mutations]) => JSON.parse(JSON.stringify(mutate(fixture, mutations))) as Json);
}

export type { Json };

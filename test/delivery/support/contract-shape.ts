/**
 * A structural contract learnt from example bodies: which keys may appear where and with which JSON types.
 * A request conforms when every key it sends appears at the same place in some example, with a type seen
 * there, and the required keys are present.
 */
export type Shape =
  | { kind: 'object'; fields: Map<string, Shape>; open: boolean }
  | { kind: 'array'; element: Shape | undefined }
  | { kind: 'value'; types: Set<string> };

export function shapeOf(examples: unknown[], openPaths: readonly string[] = [], path = ''): Shape {
  const first = examples[0];
  if (Array.isArray(first)) {
    const elements = examples.flatMap((example) => (Array.isArray(example) ? example : []));
    return { kind: 'array', element: elements.length > 0 ? shapeOf(elements, openPaths, `${path}[]`) : undefined };
  }
  if (typeof first === 'object' && first !== null) {
    const keys = new Set(examples.flatMap((example) => Object.keys(example as object)));
    const fields = new Map<string, Shape>();
    for (const key of keys) {
      const values = examples.map((example) => (example as Record<string, unknown>)[key]).filter((value) => value !== undefined);
      fields.set(key, shapeOf(values, openPaths, path ? `${path}.${key}` : key));
    }
    return { kind: 'object', fields, open: openPaths.includes(path) };
  }
  return { kind: 'value', types: new Set(examples.map(jsonType)) };
}

function jsonType(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** Every way `value` departs from the shape, as `path: problem` lines. */
export function violations(value: unknown, shape: Shape, path = '$'): string[] {
  if (shape.kind === 'value') return shape.types.has(jsonType(value)) ? [] : [`${path}: expected ${[...shape.types].join('|')}, got ${jsonType(value)}`];
  if (shape.kind === 'array') {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    return shape.element ? value.flatMap((item, index) => violations(item, shape.element!, `${path}[${index}]`)) : [];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object`];
  if (shape.open) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const field = shape.fields.get(key);
    return field ? violations(item, field, `${path}.${key}`) : [`${path}.${key}: not part of the contract`];
  });
}

export function missing(value: unknown, required: readonly string[]): string[] {
  const record = (value ?? {}) as Record<string, unknown>;
  return required.filter((key) => record[key] === undefined || record[key] === null).map((key) => `$.${key}: is required`);
}

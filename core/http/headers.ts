/**
 * Request headers as hosts hand them over. Node's `req.headersDistinct` gives arrays (so a duplicated
 * header is visible); `req.headers` gives joined strings. The core accepts both.
 */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** Every value of a header, looked up case-insensitively. */
export function headerValues(headers: HeaderBag, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (Array.isArray(value)) values.push(...value);
    else values.push(value);
  }
  return values;
}

/** The single value of a header; `undefined` when absent. Throws {@link DuplicateHeaderError} when sent twice. */
export function singleHeader(headers: HeaderBag, name: string): string | undefined {
  const values = headerValues(headers, name);
  if (values.length > 1) throw new DuplicateHeaderError(name);
  return values[0];
}

export class DuplicateHeaderError extends Error {
  constructor(readonly header: string) {
    super(`header ${header} was sent more than once`);
    this.name = 'DuplicateHeaderError';
  }
}

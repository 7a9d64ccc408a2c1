import type { SqlValue } from '../sql-client';

const converted = new Map<string, string>();
/** The repositories use a bounded set of statements; the cap only guards against callers that build unbounded ones. */
const CACHE_LIMIT = 2_000;

/** {@link toNumberedPlaceholders}, remembered per statement text. */
export function numberedPlaceholders(sql: string): string {
  let text = converted.get(sql);
  if (text === undefined) {
    if (converted.size >= CACHE_LIMIT) converted.clear();
    text = toNumberedPlaceholders(sql);
    converted.set(sql, text);
  }
  return text;
}

/**
 * Rewrites the store's `?` placeholders as PostgreSQL's `$1..$n`. A `?` inside a quoted string, a quoted
 * identifier, a dollar-quoted body or a comment is text, not a placeholder, so those are skipped whole.
 */
export function toNumberedPlaceholders(sql: string): string {
  return replacePlaceholders(sql, (index) => `$${index + 1}`);
}

/**
 * The statement with each `?` replaced by its value as a quoted literal, for statements sent together in one
 * simple-protocol message (which takes no parameters). Every value becomes an untyped literal, as a bound
 * parameter is, so the server infers the same types; strings are escape-quoted, bytes hex-encoded.
 */
export function withInlinedValues(sql: string, params: readonly SqlValue[] = []): string {
  return replacePlaceholders(sql, (index) => {
    if (index >= params.length) throw new Error(`the statement has more placeholders than the ${params.length} values given`);
    return literal(params[index]!);
  });
}

function literal(value: SqlValue): string {
  if (value === null || value === undefined) return 'NULL';
  // E'\\x…' is the text `\x…`, bytea's hex input form.
  if (value instanceof Uint8Array) return `E'\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'`;
  const text = String(value);
  if (text.includes('\0')) throw new Error('a text value cannot contain a NUL character');
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function replacePlaceholders(sql: string, placeholder: (index: number) => string): string {
  let output = '';
  let count = 0;
  let copiedUpTo = 0;
  let index = 0;
  while (index < sql.length) {
    const skipTo = endOfQuotedOrComment(sql, index);
    if (skipTo !== undefined) {
      index = skipTo;
    } else if (sql[index] === '?') {
      output += `${sql.slice(copiedUpTo, index)}${placeholder(count++)}`;
      copiedUpTo = ++index;
    } else {
      index++;
    }
  }
  return output + sql.slice(copiedUpTo);
}

/** When a quoted string or comment starts at `start`, the index just past its end; otherwise undefined. */
function endOfQuotedOrComment(sql: string, start: number): number | undefined {
  const char = sql[start];
  const next = sql[start + 1];
  if (char === "'") return endOfQuoted(sql, start, "'", isEscapeStringPrefix(sql, start));
  if (char === '"') return endOfQuoted(sql, start, '"', false);
  if (char === '-' && next === '-') return endOfLineComment(sql, start);
  if (char === '/' && next === '*') return endOfBlockComment(sql, start);
  if (char === '$') return endOfDollarQuoted(sql, start);
  return undefined;
}

/** `E'…'` strings honour backslash escapes, so `E'\''` does not end at the escaped quote. */
function isEscapeStringPrefix(sql: string, quote: number): boolean {
  const prefix = sql[quote - 1];
  return (prefix === 'E' || prefix === 'e') && !isIdentifierChar(sql[quote - 2]);
}

/** A doubled quote character inside the literal stands for one quote and does not end it. */
function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index];
    if (backslashEscapes && char === '\\') index += 2;
    else if (char === quote && sql[index + 1] === quote) index += 2;
    else if (char === quote) return index + 1;
    else index++;
  }
  return sql.length;
}

function endOfLineComment(sql: string, start: number): number {
  const newline = sql.indexOf('\n', start);
  return newline === -1 ? sql.length : newline + 1;
}

/** PostgreSQL block comments nest. */
function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql.startsWith('/*', index)) (depth++, (index += 2));
    else if (sql.startsWith('*/', index)) {
      index += 2;
      if (--depth === 0) return index;
    } else index++;
  }
  return sql.length;
}

/** `$$…$$` or `$tag$…$tag$`; a `$` that is part of an identifier or a `$1` parameter is not a quote. */
function endOfDollarQuoted(sql: string, start: number): number | undefined {
  if (isIdentifierChar(sql[start - 1])) return undefined;
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start, start + 64))?.[0];
  if (!tag) return undefined;
  const close = sql.indexOf(tag, start + tag.length);
  return close === -1 ? sql.length : close + tag.length;
}

function isIdentifierChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9_$]/.test(char);
}

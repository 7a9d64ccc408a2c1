import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../core/mapping/compile-mapping';

describe('compileMapping', () => {
  it('compiles a mapping once and serves it from the cache', () => {
    const first = compileMapping('{"title": summary}');
    const second = compileMapping('{"title": summary}');
    expect(first.ok).toBe(true);
    expect(second).toBe(first);
  });

  it('reports a syntax error with position, line and column of the offending token', () => {
    expect(compileMapping('{\n  "title": summary,\n  "severity": level ++ 1\n}')).toEqual({
      ok: false,
      error: { message: 'The symbol "+" cannot be used as a unary operator', position: 43, line: 3, column: 22, code: 'S0211' },
    });
  });

  it('reports an unterminated string where it starts to matter', () => {
    const result = compileMapping('{"title": "unfinished}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'S0101', line: 1, message: 'String literal must be terminated by a matching quote' });
  });

  it('refuses an empty mapping', () => {
    expect(compileMapping('   ')).toEqual({ ok: false, error: { message: 'the mapping is empty', position: 0, line: 1, column: 1, code: 'X0002' } });
  });

  it('refuses $eval whether called or passed around', () => {
    for (const text of ['$eval("1")', '($e := $eval; $e("1"))', '$map(["1"], $eval)']) {
      const result = compileMapping(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('X0001');
    }
  });

  it('does not mistake variables named like Object members for forbidden functions', () => {
    expect(compileMapping('($constructor := 1; $toString := 2; $constructor + $toString)').ok).toBe(true);
  });

  it('registers the helper functions', async () => {
    const result = compileMapping('[$toUtcIso("2024-06-10 08:41:07"), $parseJson("{\\"a\\":1}").a, $field({"a.b": 1}, "a.b"), $hostOf("https://x.example:8443/p")]');
    expect(result.ok).toBe(true);
    if (result.ok) expect(await result.mapping.expression.evaluate({})).toEqual(['2024-06-10T08:41:07.000Z', 1, 1, 'x.example:8443']);
  });
});

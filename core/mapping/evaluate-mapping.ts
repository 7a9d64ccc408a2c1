import type { CompiledMapping } from './compile-mapping';
import { builtins, loadBuiltins } from './compiled/jsonata-builtins';

/**
 * Evaluates a compiled mapping: its compiled function when the whole expression compiled (see
 * compiled/compile-jsonata.ts), else — and whenever the compiled run throws — JSONata's interpreter, which
 * then gives the result or the error in its own words. The two agree on every input (test/mapping/
 * compiled-presets.diff.test.ts checks it).
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */
export async function evaluateMapping(mapping: CompiledMapping, input: unknown, bindings: Record<string, unknown>, interpreterOnly = false): Promise<unknown> {
  if (mapping.run && !interpreterOnly) {
    if (!builtins()) await loadBuiltins();
    try {
      return mapping.run(input, bindings);
    } catch {
      // Not a failure of the mapping yet: the interpreter decides.
    }
  }
  return mapping.expression.evaluate(input, bindings);
}

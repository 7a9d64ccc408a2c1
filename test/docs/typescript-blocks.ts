import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import ts from 'typescript';

export interface TsSnippet {
  id: string;
  code: string;
  /** Names the snippet uses but the host defines (`docs-test: ts host-provides a b`). */
  hostProvides: string[];
}

/** Imports stay on top; the rest runs inside an async function, so top-level `await` type-checks in CommonJS. */
export function wrapSnippet(snippet: TsSnippet): string {
  const lines = snippet.code.split('\n');
  const imports = lines.filter((line) => /^import\s/.test(line));
  const body = lines.filter((line) => !/^import\s/.test(line));
  // `http` is Node's module; anything else the host provides is left untyped
  const declared = snippet.hostProvides.map((name) => (name === 'http' ? "import * as http from 'node:http';" : `declare const ${name}: any;`));
  return [...imports, ...declared, 'export async function docsSnippet(): Promise<void> {', ...body, '}', ''].join('\n');
}

/**
 * Type-checks every snippet as a file at the repository root (so `./core/...` imports resolve), with the
 * project's compiler options, in one program. Returns the errors per snippet id.
 */
export function typeCheck(repo: string, snippets: TsSnippet[]): Map<string, string[]> {
  const config = ts.readConfigFile(join(repo, 'tsconfig.json'), ts.sys.readFile).config;
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, repo);
  const files = new Map(snippets.map((snippet) => [join(repo, `__docs_${snippet.id}.ts`), wrapSnippet(snippet)]));
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (file) => files.has(file) || ts.sys.fileExists(file);
  host.readFile = (file) => files.get(file) ?? readFile(file);
  host.getSourceFile = (file, language, onError, create) => (files.has(file) ? ts.createSourceFile(file, files.get(file)!, language, true) : getSourceFile(file, language, onError, create));
  const program = ts.createProgram([...files.keys()], { ...options, noEmit: true, noUnusedLocals: false }, host);
  const errors = new Map<string, string[]>(snippets.map((snippet) => [snippet.id, []]));
  for (const snippet of snippets) {
    const file = program.getSourceFile(join(repo, `__docs_${snippet.id}.ts`))!;
    for (const diagnostic of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
      const line = diagnostic.start === undefined ? '?' : file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
      errors.get(snippet.id)!.push(`line ${line} of the wrapped snippet: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    }
  }
  return errors;
}

/** Compiles a snippet to CommonJS against the built package (dist/) and runs it; returns its output. */
export function runSnippet(repo: string, snippet: TsSnippet, cwd: string, env: NodeJS.ProcessEnv): string {
  const source = `${wrapSnippet(snippet)}docsSnippet().catch((error) => { console.error(error); process.exit(1); });\n`;
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023, esModuleInterop: true } });
  const code = outputText.replace(/require\("\.\/(core|cli)\//g, (_match, folder: string) => `require("${join(repo, 'dist', folder)}/`);
  return execFileSync(process.execPath, ['-e', code], { cwd, env, encoding: 'utf8', timeout: 30_000 });
}

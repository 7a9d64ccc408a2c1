import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBlock, schemaProblems } from './check-data';
import { startDemo, type DemoInfrastructure } from './demo-infrastructure';
import { DEMO_DOCS, environmentFor, type DocEnvironment } from './doc-environments';
import { codeBlocks, documentedFiles, type CodeBlock } from './markdown-blocks';
import { postgresSetupProblems } from './postgres-sql';
import { runShell, shellCommands } from './run-shell';
import { senderScriptProblems } from './sender-scripts';
import { senderTemplateProblems } from './sender-templates';
import { runSnippet, typeCheck, type TsSnippet } from './typescript-blocks';
import { withUnmarkedMarkers } from './unmarked-blocks';

/**
 * Every fenced block of README.md and docs/**.md is executed or checked, so the docs cannot drift from the
 * code. How a block is treated follows its language and the `<!-- docs-test: … -->` marker right before it
 * (see docs/README.md). Needs the build (npm test builds first).
 */
const REPO = join(__dirname, '../..');
const CLI = join(REPO, 'dist/cli/main.js');
const SHELL = new Set(['bash', 'sh', 'shell', 'console']);
const DATA = new Set(['json', 'yaml', 'yml', 'jsonata']);
const TYPESCRIPT = new Set(['ts', 'typescript']);

const docs = documentedFiles(REPO);
const blocksByDoc = new Map(docs.map((doc) => [doc, withUnmarkedMarkers(codeBlocks(REPO, doc))]));
const snippetId = (block: CodeBlock) => `${block.doc.replace(/\W/g, '_')}_${block.line}`;
const snippets: TsSnippet[] = [...blocksByDoc.values()].flat().filter((block) => TYPESCRIPT.has(block.lang) && block.marker?.kind !== 'skip').map((block) => ({
  id: snippetId(block),
  code: block.content,
  hostProvides: block.marker?.kind === 'ts' && block.marker.args[0] === 'host-provides' ? block.marker.args.slice(1) : [],
}));

// node_modules/.bin first: the project's pinned Node runs the CLI, as it does for `npx` in the repository
const baseEnv: Record<string, string> = { PATH: `${join(REPO, 'node_modules/.bin')}:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', NO_COLOR: '1' };
let demo: DemoInfrastructure | undefined;
let typeErrors: Map<string, string[]>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run npm run build (npm test does)');
  typeErrors = typeCheck(REPO, snippets);
  const needsDemo = [...DEMO_DOCS].some((doc) => (blocksByDoc.get(doc) ?? []).some((block) => SHELL.has(block.lang) && block.marker?.kind !== 'skip'));
  if (needsDemo) demo = await startDemo(REPO, baseEnv);
}, 180_000);

afterAll(async () => {
  await demo?.stop();
}, 30_000);

function rewrite(text: string, environment: DocEnvironment): string {
  return environment.rewrites.reduce((result, [from, to]) => result.split(from).join(to), text);
}

/** Commands may only talk to this machine. */
function remoteUrls(commands: string[]): string[] {
  return commands.flatMap((command) => [...command.matchAll(/https?:\/\/([^/\s'"]+)/g)].map((match) => match[1]!)).filter((host) => !/^127\.0\.0\.1(:\d+)?$/.test(host));
}

function expectedExits(block: CodeBlock, count: number): number[] {
  if (block.marker?.kind !== 'exit') return Array(count).fill(0);
  const codes = block.marker.args.map(Number);
  return codes.length === 1 ? Array(count).fill(codes[0]) : codes;
}

interface DocState {
  environment?: DocEnvironment;
  previousOutput: string;
}

type Handler = (block: CodeBlock, state: DocState, where: string) => Promise<void> | void;

const writeFile: Handler = (block, state) => writeFileSync(join(state.environment!.cwd, block.marker!.args[0]!), block.content);

/** Every line of the block appears (trimmed) in the output of the block before it. */
const compareOutput: Handler = (block, state, where) => {
  const seen = state.previousOutput.split('\n').map((line) => line.trim());
  const wanted = rewrite(block.content, state.environment!).split('\n').map((text) => text.trim()).filter(Boolean);
  for (const line of wanted) expect(seen, `${where}: "${line}" in\n${state.previousOutput}`).toContain(line);
};

const runCommands: Handler = async (block, state, where) => {
  const environment = state.environment!;
  const commands = shellCommands(rewrite(block.content, environment));
  expect(remoteUrls(commands), `${where}: only 127.0.0.1 may be contacted`).toEqual([]);
  const result = await runShell(commands, { cwd: environment.cwd, env: environment.env, cli: CLI, timeoutMs: 90_000 });
  state.previousOutput = result.output;
  expect(result.exits, `${where}: exit statuses of\n${commands.join('\n')}\n--- output ---\n${result.output}`).toEqual(expectedExits(block, commands.length));
};

const checkSenderTemplate: Handler = (block, _state, where) => {
  const [provider, fixture] = block.marker!.args as [string, string];
  expect(senderTemplateProblems(provider, block.content, fixture, REPO), where).toEqual([]);
};

const checkSenderScript: Handler = async (block, _state, where) => {
  expect(await senderScriptProblems(block.marker!.args[0]!, block.content, REPO), where).toEqual([]);
};

const runPostgresSetup: Handler = async (block, _state, where) => {
  const problems = await postgresSetupProblems(block.content);
  if (problems === undefined) return void console.warn(`${where}: not run: PostgreSQL binaries (initdb, postgres) not found`);
  expect(problems, where).toEqual([]);
};

/** JSON, YAML and JSONata parse; JSON and YAML also say what they are and match that schema. */
const checkData: Handler = async (block, _state, where) => {
  const value = parseBlock(block.lang, block.content);
  if (block.lang === 'jsonata') return;
  if (block.marker?.kind !== 'schema') throw new Error(`${where}: a ${block.lang} block needs a marker saying what it is (schema NAME, file NAME, sender-template …)`);
  expect(await schemaProblems(block.marker.args[0]!, value), where).toEqual([]);
};

const checkTypeScript: Handler = (block, state, where) => {
  expect(typeErrors.get(snippetId(block)), where).toEqual([]);
  if (block.marker?.kind !== 'run-ts') return;
  const snippet = snippets.find((candidate) => candidate.id === snippetId(block))!;
  state.previousOutput = runSnippet(REPO, snippet, state.environment!.cwd, state.environment!.env);
};

const BY_MARKER: Record<string, Handler> = { file: writeFile, output: compareOutput, 'sender-template': checkSenderTemplate, 'sender-script': checkSenderScript, 'postgres-sql': runPostgresSetup };

function handlerFor(block: CodeBlock): Handler | undefined {
  const byMarker = block.marker ? BY_MARKER[block.marker.kind] : undefined;
  if (byMarker) return byMarker;
  if (SHELL.has(block.lang)) return runCommands;
  if (DATA.has(block.lang) || (block.lang === 'text' && block.marker?.kind === 'schema')) return checkData;
  if (TYPESCRIPT.has(block.lang)) return checkTypeScript;
  return undefined;
}

async function checkBlock(block: CodeBlock, state: DocState): Promise<void> {
  const where = `${block.doc}:${block.line}`;
  const handler = handlerFor(block);
  if (!handler) throw new Error(`${where}: a ${block.lang || 'plain'} block needs a docs-test marker (see docs/README.md)`);
  await handler(block, state, where);
}

for (const doc of docs) {
  const blocks = blocksByDoc.get(doc)!;
  if (blocks.length === 0) continue;
  describe(doc, () => {
    const state: DocState = { previousOutput: '' };
    beforeAll(async () => {
      state.environment = await environmentFor(doc, REPO, baseEnv, demo);
    }, 60_000);
    afterAll(async () => {
      await state.environment?.close();
    });
    for (const block of blocks) {
      const name = `line ${block.line} ${block.lang || 'text'}${block.marker ? ` [${block.marker.kind}${block.marker.args.length ? ` ${block.marker.args.join(' ')}` : ''}]` : ''}`;
      if (block.marker?.kind === 'skip') {
        it.skip(`${name}: ${block.marker.reason ?? 'NO REASON GIVEN'}`, () => undefined);
        continue;
      }
      it(name, () => checkBlock(block, state), 120_000);
    }
  });
}

describe('docs-test markers', () => {
  it('every skip gives a reason, and skips stay rare', () => {
    const all = [...blocksByDoc.values()].flat();
    const skips = all.filter((block) => block.marker?.kind === 'skip');
    expect(skips.filter((block) => !block.marker!.reason).map((block) => `${block.doc}:${block.line}`)).toEqual([]);
    expect(skips.length / all.length).toBeLessThan(0.1);
  });
});

import { spawn } from 'node:child_process';

export interface ShellResult {
  /** Exit status of each command, in order. */
  exits: number[];
  commands: string[];
  /** stdout and stderr of the whole block, interleaved as written. */
  output: string;
}

const EXIT_MARK = '@@docs-test-exit';

/** The block's commands: comment and blank lines dropped, backslash continuations joined. */
export function shellCommands(block: string): string[] {
  const commands: string[] = [];
  let current = '';
  for (const raw of block.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    current += current === '' ? line : `\n${line}`;
    if (!line.endsWith('\\')) {
      commands.push(current);
      current = '';
    }
  }
  if (current !== '') commands.push(current);
  return commands;
}

/**
 * Runs the commands in one bash session (so `export` and variables carry over), recording each one's exit
 * status. `npx incident-intake` and `npm run -s incident-intake --` are this package's CLI, as they resolve in the
 * repository; any other npx use is refused, so a doc can never make the test download something.
 */
export function runShell(commands: string[], options: { cwd: string; env: NodeJS.ProcessEnv; cli: string; timeoutMs: number }): Promise<ShellResult> {
  const prelude = [
    'exec 2>&1',
    'set -o pipefail',
    `npx() { if [ "$1" = incident-intake ]; then shift; node ${JSON.stringify(options.cli)} "$@"; else echo "docs-test: npx $1 is not allowed here" >&2; return 127; fi; }`,
    // `npm run -s incident-intake -- …` (what `npm start` prints for a clone) is the same CLI; other npm uses pass through
    `npm() { if [ "$1 $2 $3 $4" = "run -s incident-intake --" ]; then shift 4; node ${JSON.stringify(options.cli)} "$@"; else command npm "$@"; fi; }`,
  ];
  const script = [...prelude, ...commands.map((command) => `${command}\nprintf '\\n${EXIT_MARK} %s\\n' "$?"`)].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exits: number[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const kept = output.replace(new RegExp(`\\n${EXIT_MARK} (\\d+)\\n`, 'g'), (_mark, code: string) => {
        exits.push(Number(code));
        return '\n';
      });
      resolve({ exits, commands, output: kept });
    });
  });
}

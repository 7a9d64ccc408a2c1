#!/usr/bin/env node
import type { CliCommand, CliIO } from './command';
import { EXIT_OK, EXIT_USAGE } from './command';
import { command as audit } from './commands/audit';
import { command as demo } from './commands/demo';
import { command as destination } from './commands/destination';
import { command as cleanup } from './commands/cleanup';
import { command as consoleCommand } from './commands/console';
import { command as map } from './commands/map';
import { command as replay } from './commands/replay';
import { command as review } from './commands/review';
import { command as send } from './commands/send';
import { command as sign } from './commands/sign';
import { command as source } from './commands/source';
import { command as template } from './commands/template';
import { command as verify } from './commands/verify';

/** Every command, in the order `--help` lists them. Add a row to add a command. */
export const COMMANDS: readonly CliCommand[] = [demo, verify, sign, send, map, template, source, review, destination, replay, cleanup, audit, consoleCommand];

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr.write(overallHelp());
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overallHelp());
    return EXIT_OK;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(`incident-intake: unknown command "${name}"\n\n${overallHelp()}`);
    return EXIT_USAGE;
  }
  return command.run(args, io);
}

function overallHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const rows = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: incident-intake <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun "incident-intake <command> --help" for a command's options.\n`;
}

if (require.main === module) {
  const io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`incident-intake: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

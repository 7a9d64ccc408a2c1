import { UsageError, parseOptions, type OptionSpecs, type OptionValues } from './args';
import { EXIT_USAGE, type CliCommand, type CliIO } from './command';

export interface CommandDefinition {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpecs;
  run(values: OptionValues, io: CliIO): Promise<number>;
}

/** Adds what every command does alike: `--help`, flag parsing, and exit code 2 on usage errors. */
export function defineCommand(definition: CommandDefinition): CliCommand {
  const { name, summary, usage } = definition;
  return {
    name,
    summary,
    usage,
    async run(args, io) {
      if (args.includes('--help') || args.includes('-h')) {
        io.stdout.write(`${usage}\n`);
        return 0;
      }
      try {
        return await definition.run(parseOptions(args, definition.options), io);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr.write(`incident-intake ${name}: ${error.message}\n\n${usage}\n`);
        return EXIT_USAGE;
      }
    },
  };
}

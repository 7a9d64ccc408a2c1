import { EXIT_OK, EXIT_USAGE, type CliCommand } from './command';

/** A command whose first argument picks one of its actions (`incident-intake source enable …`). */
export function defineCommandGroup(name: string, summary: string, usage: string, actions: Record<string, CliCommand>): CliCommand {
  return {
    name,
    summary,
    usage,
    async run(args, io) {
      const [action, ...rest] = args;
      if (action === '--help' || action === '-h') {
        io.stdout.write(`${usage}\n`);
        return EXIT_OK;
      }
      if (action === undefined || !Object.hasOwn(actions, action)) {
        io.stderr.write(`incident-intake ${name}: ${action === undefined ? 'name an action' : `unknown action "${action}"`}\n\n${usage}\n`);
        return EXIT_USAGE;
      }
      return actions[action]!.run(rest, io);
    },
  };
}

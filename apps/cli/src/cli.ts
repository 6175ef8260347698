/**
 * The `tollgate` command line: finds the command, parses its arguments, runs it, and turns
 * whatever happens into a message on stderr and an exit code (see exit-codes.ts). With
 * `--json`, failures are also one JSON object on stdout, so scripts read one stream.
 */
import packageJson from '../../../package.json';
import { parseCommandArgs } from './args';
import { CliError, UsageError } from './cli-error';
import { printJson, type CliContext, type Command } from './command';
import { accountsCommand, balanceCommand } from './commands/account.commands';
import {
  invoiceCreateCommand,
  invoiceGetCommand,
  invoiceListCommand,
  invoiceWatchCommand,
} from './commands/invoice.commands';
import { payCommand } from './commands/pay.command';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes';

export const COMMANDS: readonly Command[] = [
  payCommand,
  invoiceCreateCommand,
  invoiceGetCommand,
  invoiceListCommand,
  invoiceWatchCommand,
  accountsCommand,
  balanceCommand,
];

/** Commands that only group others (`tollgate invoice …`). */
const GROUPS = ['invoice'];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: tollgate <command> [options]

Tollgate from the command line: pay payment pointers, manage invoices, watch balances.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "tollgate <command> --help" for a command's options.

Environment:
  TOLLGATE_URL           server for the REST commands (default http://localhost:8080)
  TOLLGATE_API_KEY       merchant API key (invoice commands)
  TOLLGATE_ADMIN_TOKEN   admin token (accounts, balance)
  TOLLGATE_UPLINK        BTP uplink for pay, btp+ws://<account>:<token>@host:8080/btp

Amounts are decimals in the asset's units ("12.50"), never rounded: an amount with more
decimal places than the asset has is refused. With --json, amounts are strings of integer
base units beside their assetCode and assetScale.

${EXIT_CODE_HELP}
`;
}

function groupHelp(group: string): string {
  const commands = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: tollgate ${group} <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "tollgate ${group} <command> --help" for a command's options.
`;
}

/** Finds the command named by the first one or two words; the rest are its arguments. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command !== undefined) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

export async function runCli(argv: string[], context: CliContext): Promise<ExitCode> {
  const json = argv.includes('--json');
  const [first, second] = argv;
  let commandName = '';
  try {
    if (first === undefined || first === '--help' || first === '-h') {
      context.stdout.write(mainHelp());
      return first === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    if (first === '--version' || first === '-v') {
      context.stdout.write(`${packageJson.version}\n`);
      return ExitCode.Ok;
    }
    if (first === 'help') {
      const target = argv.slice(1);
      if (target.length === 0) {
        context.stdout.write(mainHelp());
        return ExitCode.Ok;
      }
      if (target.length === 1 && GROUPS.includes(target[0])) {
        context.stdout.write(groupHelp(target[0]));
        return ExitCode.Ok;
      }
      const found = findCommand(target);
      if (found === undefined) throw new UsageError(`unknown command "${target.join(' ')}"`);
      context.stdout.write(`${found.command.help}\n`);
      return ExitCode.Ok;
    }
    const found = findCommand(argv);
    if (found === undefined) {
      if (GROUPS.includes(first)) {
        if (second === undefined || second === '--help' || second === '-h') {
          context.stdout.write(groupHelp(first));
          return second === undefined ? ExitCode.Usage : ExitCode.Ok;
        }
        throw new UsageError(`unknown command "${first} ${second}"`, first);
      }
      throw new UsageError(`unknown command "${first}"`);
    }
    const { command, rest } = found;
    commandName = command.name;
    const args = parseCommandArgs(rest, command.options, command.name, command.positionals);
    if (args.values.help === true) {
      context.stdout.write(`${command.help}\n`);
      return ExitCode.Ok;
    }
    return await command.run(args, context);
  } catch (error) {
    return report(error, commandName, json, context);
  }
}

function report(error: unknown, commandName: string, json: boolean, context: CliContext): ExitCode {
  const prefix = commandName ? `tollgate ${commandName}` : 'tollgate';
  let exitCode: ExitCode;
  let message: string;
  if (error instanceof CliError) {
    exitCode = error.exitCode;
    message = error.message;
    context.stderr.write(`${prefix}: ${message}\n`);
    if (error instanceof UsageError) {
      const help = error.helpCommand ?? commandName;
      context.stderr.write(`Run "tollgate ${help ? `${help} ` : ''}--help" for usage.\n`);
    }
  } else {
    exitCode = ExitCode.Failure;
    message = error instanceof Error ? error.message : String(error);
    context.stderr.write(`${prefix}: unexpected error: ${message}\n`);
    if (context.env.TOLLGATE_DEBUG === '1' && error instanceof Error && error.stack) {
      context.stderr.write(`${error.stack}\n`);
    }
  }
  if (json) {
    const code = (error as { code?: unknown }).code;
    printJson(context.stdout, {
      outcome: 'error',
      exitCode,
      error: { message, ...(typeof code === 'string' ? { code } : {}) },
    });
  }
  return exitCode;
}

/**
 * The one error type commands throw for expected failures: a message for people and the
 * exit code scripts see. Anything else that escapes a command is a bug (exit 1, with its stack
 * only under TOLLGATE_DEBUG=1).
 */
import { ExitCode } from './exit-codes';

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad arguments: the message, then a pointer to the command's help. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly helpCommand?: string,
  ) {
    super(ExitCode.Usage, message);
  }
}

/**
 * Entry of the `tollgate` CLI (bin/tollgate.js loads this, compiled or through tsx): runs one
 * command against the real process and exits with its code once its output is flushed.
 */
import { runCli } from './cli';
import type { CliContext } from './command';

export function runMain(argv: string[] = process.argv.slice(2)): void {
  const context: CliContext = {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt(handler) {
      const onSignal = (): void => {
        process.stderr.write('\ninterrupted: stopping…\n');
        handler();
        // a second Ctrl-C is the user insisting
        process.once('SIGINT', () => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      return () => process.off('SIGINT', onSignal);
    },
  };
  runCli(argv, context).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tollgate: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runMain();

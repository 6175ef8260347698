/** What a command is: its name, help text, options, and a run function returning an exit code. */
import type { OptionSpecs, ParsedArgs } from './args';
import type { ExitCode } from './exit-codes';

/** The outside world a command may touch (injected, so tests can run commands in-process). */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
  /** Ctrl-C: long-running commands stop cleanly instead of dying mid-payment. */
  onInterrupt(handler: () => void): () => void;
}

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Command {
  /** As typed after `tollgate`, e.g. `invoice create`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text: usage line, description, options, examples. */
  help: string;
  options: OptionSpecs;
  positionals: { min: number; max: number; names: string };
  run(args: ParsedArgs, context: CliContext): Promise<ExitCode>;
}

/** Writes one JSON value as a line; bigints (there should be none) would throw, on purpose. */
export function printJson(out: Output, value: unknown): void {
  out.write(`${JSON.stringify(value)}\n`);
}

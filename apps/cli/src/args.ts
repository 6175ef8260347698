/**
 * Argument parsing for every command, on `node:util` parseArgs (strict: unknown options and
 * stray positionals are usage errors), plus the few value parsers commands share: durations,
 * fractions, server URLs and credentials from options or the environment.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies OptionSpecs;

export function parseCommandArgs(
  argv: string[],
  options: OptionSpecs,
  command: string,
  positionals: { min: number; max: number; names: string },
): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    }) as ParsedArgs;
  } catch (error) {
    throw new UsageError(cleanParseArgsMessage((error as Error).message), command);
  }
  if (parsed.values.help === true) return parsed;
  const n = parsed.positionals.length;
  if (n < positionals.min) {
    throw new UsageError(`missing ${positionals.names}`, command);
  }
  if (n > positionals.max) {
    const extra = parsed.positionals.slice(positionals.max).map((p) => JSON.stringify(p));
    throw new UsageError(
      `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(' ')}`,
      command,
    );
  }
  return parsed;
}

/** parseArgs' messages carry advice about `--` that only confuses here. */
function cleanParseArgsMessage(message: string): string {
  return message.replace(/\. To specify a positional argument.*$/s, '');
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

const DURATION = /^([0-9]{1,9})(ms|s|m|h|d)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "15m" → 900 000 ms. Units ms, s, m, h, d; a bare number is seconds. Zero is refused. */
export function parseDuration(text: string, option: string): number {
  const match = DURATION.exec(text);
  if (match === null || Number(match[1]) === 0) {
    throw new UsageError(
      `${option} must be a positive duration like 30s, 15m, 2h or 1d (a bare number is seconds), got ${JSON.stringify(text)}`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2] ?? 's'];
}

/**
 * A fraction in [0, 1) as a decimal string ("0.01"), kept as a string so the STREAM library
 * turns it into an exact rational.
 */
export function parseFraction(text: string, option: string): string {
  if (!/^(0(\.[0-9]{1,18})?|\.[0-9]{1,18})$/.test(text)) {
    throw new UsageError(
      `${option} must be a fraction from 0 to less than 1, e.g. 0.01 for 1 %, got ${JSON.stringify(text)}`,
    );
  }
  return text.startsWith('.') ? `0${text}` : text;
}

export const DEFAULT_SERVER = 'http://localhost:8080';

/** `--server`, else TOLLGATE_URL, else http://localhost:8080; must be http(s). */
export function serverUrl(args: ParsedArgs, env: NodeJS.ProcessEnv): string {
  const text = stringOption(args, 'server') ?? env.TOLLGATE_URL ?? DEFAULT_SERVER;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server / TOLLGATE_URL is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--server / TOLLGATE_URL must be an http:// or https:// URL, got ${text}`);
  }
  if (url.username || url.password) {
    throw new UsageError(
      '--server / TOLLGATE_URL must not carry credentials: use --api-key or --admin-token',
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** A secret from its option or its environment variable; a usage error naming both if neither. */
export function credential(
  args: ParsedArgs,
  env: NodeJS.ProcessEnv,
  option: string,
  variable: string,
  what: string,
): string {
  const value = stringOption(args, option) ?? env[variable];
  if (value === undefined || value === '') {
    throw new UsageError(`no ${what}: set ${variable} (or pass --${option})`);
  }
  return value;
}

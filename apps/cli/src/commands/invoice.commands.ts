/**
 * `tollgate invoice create | get | list | watch`: a merchant's invoices over the REST API
 * (API key from --api-key or TOLLGATE_API_KEY), and an invoice's live progress over its
 * checkout Server-Sent Events (no key needed: the invoice id is the capability).
 */
import { readServerSentEvents } from '../api/server-sent-events';
import { ApiError, TollgateApi } from '../api/tollgate-api';
import {
  credential,
  flag,
  parseDuration,
  serverUrl,
  stringOption,
  type OptionSpecs,
  type ParsedArgs,
} from '../args';
import { CliError, UsageError } from '../cli-error';
import { printJson, type CliContext, type Command } from '../command';
import { EXIT_CODE_HELP, ExitCode } from '../exit-codes';
import { AmountSyntaxError, formatBaseUnits, parseDecimalAmount } from '../money/decimal-amount';
import { ProgressBar } from '../output/progress-bar';
import { formatTable } from '../output/table';
import { describeInvoice, money, type Invoice } from './invoice-view';

const SERVER_OPTIONS = {
  server: { type: 'string' },
  'api-key': { type: 'string' },
} as const satisfies OptionSpecs;

const SERVER_HELP = `  --server <url>         Tollgate server (default: $TOLLGATE_URL, else http://localhost:8080)
  --api-key <key>        merchant API key (default: $TOLLGATE_API_KEY; prefer the variable)`;

function merchantApi(args: ParsedArgs, context: CliContext): TollgateApi {
  const baseUrl = serverUrl(args, context.env);
  const token = credential(args, context.env, 'api-key', 'TOLLGATE_API_KEY', 'merchant API key');
  return new TollgateApi({ baseUrl, token });
}

/** The path segment of an invoice id: the server checks the format, this only keeps the URL whole. */
function invoicePath(id: string): string {
  return encodeURIComponent(id);
}

export const invoiceCreateCommand: Command = {
  name: 'invoice create',
  summary: 'create an invoice (amount in the merchant asset, e.g. 12.50)',
  positionals: { min: 0, max: 0, names: '' },
  options: {
    ...SERVER_OPTIONS,
    amount: { type: 'string' },
    description: { type: 'string' },
    'expires-in': { type: 'string' },
    'expires-at': { type: 'string' },
    'idempotency-key': { type: 'string' },
    metadata: { type: 'string', multiple: true },
  },
  help: `Usage: tollgate invoice create --amount <decimal> [options]

Creates an invoice for the merchant whose API key is used. The amount is a decimal in the
merchant's asset ("12.50" for 12.50 USD); more decimal places than the asset has are refused.

Options:
  --amount <decimal>        amount due (required)
  --description <text>      shown to the customer
  --expires-in <duration>   e.g. 15m, 2h, 1d (default: the server's, one hour)
  --expires-at <iso-time>   a fixed expiry instead, e.g. 2026-12-01T12:00:00Z
  --idempotency-key <key>   the same key and body give back the same invoice, never a second
                            one (with a key, prefer --expires-at: --expires-in makes a new
                            time on every run, which the server sees as another body)
  --metadata <key=value>    kept with the invoice, not shown to customers (repeatable)
${SERVER_HELP}
  --json                    print the invoice as JSON (amounts in base units)
  -h, --help                this help

Example:
  tollgate invoice create --amount 12.50 --description "Two coffees" --expires-in 15m

${EXIT_CODE_HELP}`,

  async run(args, context) {
    const amountText = stringOption(args, 'amount');
    if (amountText === undefined) throw new UsageError('missing --amount', 'invoice create');
    const expiresIn = stringOption(args, 'expires-in');
    const expiresAtText = stringOption(args, 'expires-at');
    if (expiresIn !== undefined && expiresAtText !== undefined) {
      throw new UsageError('give --expires-in or --expires-at, not both', 'invoice create');
    }
    let expiresAt: string | undefined;
    if (expiresIn !== undefined) {
      expiresAt = new Date(Date.now() + parseDuration(expiresIn, '--expires-in')).toISOString();
    } else if (expiresAtText !== undefined) {
      const time = new Date(expiresAtText);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(expiresAtText) || Number.isNaN(time.getTime())) {
        throw new UsageError(
          `--expires-at must be an ISO-8601 time like 2026-12-01T12:00:00Z, got ${JSON.stringify(expiresAtText)}`,
          'invoice create',
        );
      }
      expiresAt = expiresAtText;
    }
    const metadata = parseMetadata(args.values.metadata as string[] | undefined);
    const api = merchantApi(args, context);

    // The amount's scale is the merchant's: ask before parsing, so "12.505" is refused here.
    const merchant = await api.get<{ assetCode: string; assetScale: number; slug: string }>(
      '/api/me',
    );
    let amount: bigint;
    try {
      amount = parseDecimalAmount(amountText, merchant.assetScale, merchant.assetCode);
    } catch (error) {
      if (error instanceof AmountSyntaxError) throw new UsageError(error.message, 'invoice create');
      throw error;
    }
    if (amount === 0n) throw new UsageError('--amount must be greater than zero', 'invoice create');

    const key = stringOption(args, 'idempotency-key');
    const body = {
      amount: amount.toString(),
      ...(args.values.description !== undefined
        ? { description: stringOption(args, 'description') }
        : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    };
    let response;
    try {
      response = await api.post<Invoice>(
        '/api/invoices',
        body,
        key ? { 'idempotency-key': key } : {},
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'idempotency_conflict' && expiresIn) {
        error.message +=
          ' (--expires-in gives a new expiry on every run: use --expires-at with an idempotency key)';
      }
      throw error;
    }
    const invoice = response.body;
    if (flag(args, 'json')) {
      printJson(context.stdout, invoice);
    } else {
      if (response.headers.get('idempotent-replayed') === 'true') {
        context.stderr.write(
          `(the invoice made earlier with idempotency key ${JSON.stringify(key)})\n`,
        );
      }
      context.stdout.write(describeInvoice(invoice));
    }
    return ExitCode.Ok;
  },
};

function parseMetadata(entries: string[] | undefined): Record<string, string> | undefined {
  if (entries === undefined || entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(
        `--metadata takes key=value, got ${JSON.stringify(entry)}`,
        'invoice create',
      );
    }
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

export const invoiceGetCommand: Command = {
  name: 'invoice get',
  summary: 'show an invoice, with what each payment brought',
  positionals: { min: 1, max: 1, names: 'the invoice id' },
  options: { ...SERVER_OPTIONS },
  help: `Usage: tollgate invoice get <id> [options]

Shows one of the merchant's invoices: status, amount, received, payments.

Options:
${SERVER_HELP}
  --json                 print the invoice as JSON (amounts in base units)
  -h, --help             this help

${EXIT_CODE_HELP}`,

  async run(args, context) {
    const invoice = await merchantApi(args, context).get<Invoice>(
      `/api/invoices/${invoicePath(args.positionals[0])}`,
    );
    if (flag(args, 'json')) printJson(context.stdout, invoice);
    else context.stdout.write(describeInvoice(invoice));
    return ExitCode.Ok;
  },
};

export const invoiceListCommand: Command = {
  name: 'invoice list',
  summary: "list the merchant's invoices, newest first",
  positionals: { min: 0, max: 0, names: '' },
  options: {
    ...SERVER_OPTIONS,
    limit: { type: 'string' },
    cursor: { type: 'string' },
    all: { type: 'boolean' },
  },
  help: `Usage: tollgate invoice list [options]

Lists the merchant's invoices, newest first, one page at a time.

Options:
  --limit <n>            invoices per page, 1 to 200 (default 50)
  --cursor <cursor>      the page after this cursor (printed under a full page)
  --all                  every page
${SERVER_HELP}
  --json                 print { "data": [...], "nextCursor": ... } (amounts in base units)
  -h, --help             this help

${EXIT_CODE_HELP}`,

  async run(args, context) {
    const limitText = stringOption(args, 'limit') ?? '50';
    if (!/^[0-9]{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 200) {
      throw new UsageError(
        `--limit must be a whole number from 1 to 200, got ${JSON.stringify(limitText)}`,
        'invoice list',
      );
    }
    const api = merchantApi(args, context);
    const all = flag(args, 'all');
    const data: Invoice[] = [];
    let cursor = stringOption(args, 'cursor');
    let nextCursor: string | null;
    do {
      const query = new URLSearchParams({ limit: limitText });
      if (cursor !== undefined) query.set('cursor', cursor);
      const page = await api.get<{ data: Invoice[]; nextCursor: string | null }>(
        `/api/invoices?${query}`,
      );
      data.push(...page.data);
      nextCursor = page.nextCursor;
      cursor = nextCursor ?? undefined;
    } while (all && nextCursor !== null);

    if (flag(args, 'json')) {
      printJson(context.stdout, { data, nextCursor });
      return ExitCode.Ok;
    }
    if (data.length === 0) {
      context.stdout.write('No invoices.\n');
      return ExitCode.Ok;
    }
    context.stdout.write(
      formatTable(
        [
          { header: 'id' },
          { header: 'status' },
          { header: 'amount', right: true },
          { header: 'received', right: true },
          { header: 'asset' },
          { header: 'created' },
          { header: 'description' },
        ],
        data.map((i) => [
          i.id,
          i.status,
          formatBaseUnits(i.amount, i.assetScale),
          formatBaseUnits(i.received, i.assetScale),
          i.assetCode,
          i.createdAt,
          i.description.length > 40 ? `${i.description.slice(0, 39)}…` : i.description,
        ]),
      ),
    );
    if (nextCursor !== null) {
      context.stderr.write(`More: tollgate invoice list --cursor ${nextCursor}  (or --all)\n`);
    }
    return ExitCode.Ok;
  },
};

/** The checkout view the event stream carries (an invoice without its merchant-only fields). */
type CheckoutEvent = Pick<
  Invoice,
  'id' | 'status' | 'amount' | 'received' | 'assetCode' | 'assetScale' | 'expiresAt'
>;

/** Reconnects after the event stream drops while the invoice is still open. */
const MAX_RECONNECTS = 5;

export const invoiceWatchCommand: Command = {
  name: 'invoice watch',
  summary: 'follow an invoice live until it is paid (exit 0) or expires (exit 6)',
  positionals: { min: 1, max: 1, names: 'the invoice id' },
  options: { server: { type: 'string' } },
  help: `Usage: tollgate invoice watch <id> [options]

Follows an invoice's live progress (the checkout page's Server-Sent Events) and prints each
change. Exits 0 once it is paid, 6 once it has expired. Needs no API key.

Options:
  --server <url>         Tollgate server (default: $TOLLGATE_URL, else http://localhost:8080)
  --json                 one JSON object per change (amounts in base units)
  -h, --help             this help

${EXIT_CODE_HELP}`,

  async run(args, context) {
    const api = new TollgateApi({ baseUrl: serverUrl(args, context.env) });
    const json = flag(args, 'json');
    const bar = new ProgressBar(context.stderr);
    const controller = new AbortController();
    const stopOnInterrupt = context.onInterrupt(() => controller.abort());
    let last: CheckoutEvent | undefined;
    let reconnects = 0;
    try {
      for (;;) {
        let response: Response;
        try {
          response = await api.openStream(
            `/api/checkout/${invoicePath(args.positionals[0])}/events`,
            controller.signal,
          );
        } catch (error) {
          if (controller.signal.aborted) return ExitCode.Interrupted;
          // a drop after we were following: retry a few times before giving up
          if (last === undefined || error instanceof ApiError || ++reconnects > MAX_RECONNECTS)
            throw error;
          await new Promise((r) => setTimeout(r, 250 * 2 ** reconnects));
          continue;
        }
        try {
          for await (const event of readServerSentEvents(
            response.body as unknown as AsyncIterable<Uint8Array>,
          )) {
            if (event.event !== 'invoice') continue;
            const update = JSON.parse(event.data) as CheckoutEvent;
            reconnects = 0;
            const changed =
              last === undefined ||
              last.status !== update.status ||
              last.received !== update.received;
            last = update;
            if (!changed) continue;
            if (json) printJson(context.stdout, update);
            else if (bar.enabled) {
              bar.update(
                BigInt(update.received),
                BigInt(update.amount),
                progressLabel(update),
                true,
              );
            } else {
              context.stdout.write(`${progressLabel(update)}\n`);
            }
            if (update.status !== 'open') break;
          }
        } catch (error) {
          if (controller.signal.aborted) return ExitCode.Interrupted;
          if (!(error instanceof Error) || error instanceof SyntaxError) throw error;
          // the connection dropped mid-stream: fall through to reconnect
        }
        if (last !== undefined && last.status !== 'open') break;
        if (++reconnects > MAX_RECONNECTS) {
          throw new CliError(
            ExitCode.Network,
            'the event stream keeps closing while the invoice is open',
          );
        }
        await new Promise((r) => setTimeout(r, 250 * 2 ** reconnects));
      }
    } finally {
      stopOnInterrupt();
      bar.finish();
      controller.abort();
    }
    const final = last as CheckoutEvent;
    if (!json) {
      context.stdout.write(
        final.status === 'paid'
          ? `Invoice ${final.id} is paid: ${money(final.received, final)}\n`
          : `Invoice ${final.id} expired with ${money(final.received, final)} of ${money(final.amount, final)} received\n`,
      );
    }
    return final.status === 'paid' ? ExitCode.Ok : ExitCode.Expired;
  },
};

function progressLabel(update: CheckoutEvent): string {
  return `${update.status.padEnd(7)} ${money(update.received, update)} of ${money(update.amount, update)}`;
}

/**
 * `tollgate pay <payment-pointer> <amount> [assetCode]`: sends an exact amount of the
 * sender's asset to a payment pointer with our own STREAM client, through a BTP uplink.
 * SPSP gives the receiver's address and secret; ILDCP on the uplink gives our address and
 * asset scale, which is what turns "10.00" into base units.
 */
import { SpspError, SpspErrorCode, querySpsp, spspEndpoint } from '@tollgate/spsp';
import {
  deserializeIlpReply,
  deserializePrepare,
  serializeIlpPacket,
  serializePrepare,
} from '@tollgate/ilp-core';
import { StreamConnection, type PayReason, type PayResult } from '@tollgate/stream';
import { nodeStreamCrypto } from '@tollgate/stream/node';
import { flag, parseDuration, parseFraction, stringOption, type ParsedArgs } from '../args';
import { CliError, UsageError } from '../cli-error';
import { printJson, type CliContext, type Command } from '../command';
import { EXIT_CODE_HELP, ExitCode } from '../exit-codes';
import {
  AmountSyntaxError,
  formatAmount,
  isDecimalSyntax,
  parseDecimalAmount,
  unitRate,
} from '../money/decimal-amount';
import { ProgressBar } from '../output/progress-bar';
import { checkUplinkUrl, openUplink, type Uplink } from '../pay/uplink';

const DEFAULT_TIMEOUT = '2m';
/** How long the closing handshake may take once the money is settled. */
const CLOSE_TIMEOUT_MS = 5_000;

/** What `--json` prints: every amount exact, in base units, with the asset beside it. */
export interface PayReport {
  outcome: 'paid' | 'partial' | 'refused' | 'unreachable';
  /** STREAM's reason for stopping (`complete`, `receive-max`, `rejected:F02`, …). */
  reason: PayReason;
  exitCode: ExitCode;
  paymentPointer: string;
  destinationAccount: string;
  sourceAccount: string;
  requested: MoneyReport;
  sent: MoneyReport;
  delivered: MoneyReport | { amount: string; assetCode: null; assetScale: null };
  /** Whole destination units per whole source unit actually achieved (cut to 9 places), or null. */
  rate: string | null;
  /** The rate STREAM probed before sending (base units per base unit), if any. */
  probedRate: string | null;
  packets: { fulfilled: number; rejected: number };
  durationMs: number;
}

export interface MoneyReport {
  /** Base units, as a decimal integer string. */
  amount: string;
  /** The same, for people: "12.50". */
  formatted: string;
  assetCode: string;
  assetScale: number;
}

export const payCommand: Command = {
  name: 'pay',
  summary: 'pay a payment pointer with STREAM over a BTP uplink',
  positionals: { min: 2, max: 3, names: 'the payment pointer and the amount' },
  options: {
    uplink: { type: 'string' },
    'max-slippage': { type: 'string' },
    timeout: { type: 'string' },
  },
  help: `Usage: tollgate pay <payment-pointer> <amount> [assetCode] [options]

Sends <amount> of your own asset (the asset of your account on the uplink) to a payment
pointer, e.g. $pay.example.com/shop or an invoice's $host/shop/invoices/<id>, with STREAM.
The amount is a decimal in your asset's units ("10.00"); the asset scale comes from the
uplink (ILDCP), and an amount with more decimal places than it allows is refused. Give
[assetCode] to make sure the amount is in the asset you think it is. A receiver with a
limit (an invoice) takes at most what is due: the rest is not sent.

Options:
  --uplink <url>         BTP uplink, btp+ws://<account>:<token>@host:8080/btp
                         (default: $TOLLGATE_UPLINK; prefer the variable: options show in ps)
  --max-slippage <frac>  accepted loss against the probed exchange rate (default 0.01 = 1 %)
  --timeout <duration>   give up after this long, e.g. 30s, 5m (default ${DEFAULT_TIMEOUT})
  --json                 print one JSON object with the result on stdout
  -h, --help             this help

A progress bar (sent, delivered, rate) is drawn on stderr when it is a terminal.
Payment pointers on localhost / 127.0.0.1 may carry a port and are fetched over http.

Examples:
  export TOLLGATE_UPLINK=btp+ws://alice:$ALICE_TOKEN@localhost:8080/btp
  tollgate pay '$localhost:8080/coffee' 10.00 USD
  tollgate pay '$localhost:8080/coffee/invoices/7d0c…' 12.50 --json

${EXIT_CODE_HELP}`,

  async run(args: ParsedArgs, context: CliContext): Promise<ExitCode> {
    const [pointer, amountText, assetCode] = args.positionals;
    const json = flag(args, 'json');
    const uplinkUrl = stringOption(args, 'uplink') ?? context.env.TOLLGATE_UPLINK;
    if (uplinkUrl === undefined || uplinkUrl === '') {
      throw new UsageError(
        'no uplink: set TOLLGATE_UPLINK (or pass --uplink btp+ws://user:token@host:8080/btp)',
        'pay',
      );
    }
    checkUplinkUrl(uplinkUrl);
    try {
      spspEndpoint(pointer, { allowInsecure: true });
    } catch (error) {
      throw new UsageError((error as Error).message, 'pay');
    }
    if (!isDecimalSyntax(amountText)) {
      throw new UsageError(
        `${JSON.stringify(amountText)} is not an amount: write digits with an optional decimal point, e.g. 12.50`,
        'pay',
      );
    }
    if (assetCode !== undefined && !/^[A-Za-z0-9]{1,12}$/.test(assetCode)) {
      throw new UsageError(`${JSON.stringify(assetCode)} is not an asset code, e.g. USD`, 'pay');
    }
    const slippage = parseFraction(stringOption(args, 'max-slippage') ?? '0.01', '--max-slippage');
    const timeoutMs = parseDuration(stringOption(args, 'timeout') ?? DEFAULT_TIMEOUT, '--timeout');
    const started = Date.now();
    const deadline = started + timeoutMs;
    const left = (): number => Math.max(1, deadline - Date.now());

    const uplink = await openUplink(uplinkUrl, Math.min(timeoutMs, 15_000));
    try {
      const source = uplink.account;
      if (assetCode !== undefined && assetCode.toUpperCase() !== source.assetCode.toUpperCase()) {
        throw new UsageError(
          `the uplink's account is in ${source.assetCode}, not ${assetCode}: give the amount in ${source.assetCode}`,
          'pay',
        );
      }
      let amount: bigint;
      try {
        amount = parseDecimalAmount(amountText, source.assetScale, source.assetCode);
      } catch (error) {
        if (error instanceof AmountSyntaxError) throw new UsageError(error.message, 'pay');
        throw error;
      }
      if (amount === 0n) throw new UsageError('the amount must be greater than zero', 'pay');

      const spsp = await querySpsp(pointer, {
        allowInsecure: true,
        timeoutMs: Math.min(left(), 15_000),
      }).catch((error: unknown) => {
        throw spspFailure(error);
      });
      const connection = await StreamConnection.create({
        crypto: nodeStreamCrypto,
        sharedSecret: spsp.sharedSecret,
        destinationAddress: spsp.destinationAccount,
        sourceAddress: source.clientAddress,
        assetCode: source.assetCode,
        assetScale: source.assetScale,
        slippage,
        sendPrepare: async (prepare) =>
          deserializeIlpReply(await uplink.btp.sendIlp(serializePrepare(prepare), 35_000)),
      });
      uplink.btp.setIlpHandler(async (bytes) =>
        serializeIlpPacket(await connection.handlePrepare(deserializePrepare(bytes))),
      );

      const bar = new ProgressBar(context.stderr);
      const label = (sent: bigint, delivered: bigint): string => {
        const scale = connection.remoteAssetScale;
        const got =
          scale === undefined
            ? `${delivered} units`
            : `${formatAmount(delivered, scale)} ${connection.remoteAssetCode ?? ''}`.trim();
        const rate =
          scale === undefined ? null : unitRate(sent, source.assetScale, delivered, scale, 4);
        return `sent ${formatAmount(sent, source.assetScale)} / ${formatAmount(amount, source.assetScale)} ${source.assetCode}  delivered ${got}${rate === null ? '' : `  rate ${rate}`}`;
      };
      // Ctrl-C: stop sending; what is in flight settles and the result is still reported.
      const stopOnInterrupt = context.onInterrupt(() => {
        void connection.destroy(new Error('interrupted'));
      });
      let result: PayResult;
      try {
        bar.update(0n, amount, label(0n, 0n), true);
        result = await connection.pay({
          sourceAmount: amount,
          timeoutMs: left(),
          onProgress: ({ sent, delivered }) => bar.update(sent, amount, label(sent, delivered)),
        });
        bar.update(result.sent, amount, label(result.sent, result.delivered), true);
        bar.finish();
      } finally {
        stopOnInterrupt();
      }
      await closeWithin(connection, CLOSE_TIMEOUT_MS);

      const report = payReport({
        pointer,
        spspDestination: spsp.destinationAccount,
        source,
        amount,
        result,
        connection,
        durationMs: Date.now() - started,
      });
      if (json) printJson(context.stdout, report);
      else context.stdout.write(describeResult(report));
      return report.exitCode;
    } finally {
      await uplink.close().catch(() => undefined);
    }
  },
};

function payReport(input: {
  pointer: string;
  spspDestination: string;
  source: Uplink['account'];
  amount: bigint;
  result: PayResult;
  connection: StreamConnection;
  durationMs: number;
}): PayReport {
  const { source, result, connection } = input;
  const money = (value: bigint, code: string, scale: number): MoneyReport => ({
    amount: value.toString(),
    formatted: formatAmount(value, scale),
    assetCode: code,
    assetScale: scale,
  });
  const destinationScale = connection.remoteAssetScale;
  const destinationCode = connection.remoteAssetCode;
  const { outcome, exitCode } = classify(result, input.amount);
  return {
    outcome,
    reason: result.reason,
    exitCode,
    paymentPointer: input.pointer,
    destinationAccount: input.spspDestination,
    sourceAccount: source.clientAddress,
    requested: money(input.amount, source.assetCode, source.assetScale),
    sent: money(result.sent, source.assetCode, source.assetScale),
    delivered:
      destinationScale === undefined || destinationCode === undefined
        ? { amount: result.delivered.toString(), assetCode: null, assetScale: null }
        : money(result.delivered, destinationCode, destinationScale),
    rate:
      destinationScale === undefined
        ? null
        : unitRate(result.sent, source.assetScale, result.delivered, destinationScale, 9),
    probedRate: result.exchangeRate ?? null,
    packets: result.packets,
    durationMs: input.durationMs,
  };
}

/**
 * Paid in full = everything requested was sent and fulfilled. Less than that: partial if
 * anything arrived, else refused (the receiver or path said no) or unreachable (transport
 * failures, or time ran out before anything moved).
 */
function classify(
  result: PayResult,
  amount: bigint,
): { outcome: PayReport['outcome']; exitCode: ExitCode } {
  if (result.sent >= amount) return { outcome: 'paid', exitCode: ExitCode.Ok };
  if (result.delivered > 0n || result.sent > 0n) {
    return { outcome: 'partial', exitCode: ExitCode.Partial };
  }
  if (result.reason === 'transport-error' || result.reason === 'timeout') {
    return { outcome: 'unreachable', exitCode: ExitCode.Network };
  }
  return { outcome: 'refused', exitCode: ExitCode.Refused };
}

function describeResult(r: PayReport): string {
  const sent = `${r.sent.formatted} ${r.sent.assetCode}`;
  const delivered =
    r.delivered.assetCode === null
      ? `${r.delivered.amount} base units`
      : `${(r.delivered as MoneyReport).formatted} ${r.delivered.assetCode}`;
  const seconds = (r.durationMs / 1000).toFixed(2);
  const rate = r.rate === null ? '' : `, rate ${r.rate}`;
  switch (r.outcome) {
    case 'paid':
      return `Paid ${sent} to ${r.paymentPointer}: ${delivered} delivered${rate} in ${seconds} s\n`;
    case 'partial':
      return `Partly paid: sent ${sent} of ${r.requested.formatted} ${r.requested.assetCode}, ${delivered} delivered${rate} (${whyStopped(r.reason)})\n`;
    case 'refused':
      return `Nothing paid: ${whyStopped(r.reason)}\n`;
    case 'unreachable':
      return `Nothing paid: ${whyStopped(r.reason)}\n`;
  }
}

function whyStopped(reason: PayReason): string {
  switch (reason) {
    case 'complete':
      return 'complete';
    case 'receive-max':
      return 'the receiver takes no more (an invoice is paid in full)';
    case 'receiver-closed':
      return 'the receiver closed the connection';
    case 'exchange-rate':
      return 'the exchange rate is worse than --max-slippage allows';
    case 'max-packet-zero':
      return 'the path carries no money';
    case 'source-limit':
      return 'the source limit is spent';
    case 'timeout':
      return 'timed out (see --timeout)';
    case 'closed':
      return 'stopped';
    case 'transport-error':
      return 'the uplink kept failing';
    case 'no-destination':
      return 'no destination';
    default:
      return reason.startsWith('rejected:')
        ? `the path rejected the payment (${reason.slice('rejected:'.length)})`
        : reason;
  }
}

function spspFailure(error: unknown): CliError {
  if (!(error instanceof SpspError)) {
    return new CliError(ExitCode.Failure, `SPSP query failed: ${(error as Error).message}`);
  }
  switch (error.code) {
    case SpspErrorCode.InvalidPointer:
      return new UsageError(error.message, 'pay');
    case SpspErrorCode.NotFound:
      return new CliError(ExitCode.Refused, `${error.message} (unknown, paid or expired)`);
    case SpspErrorCode.Network:
      return new CliError(ExitCode.Network, error.message);
    case SpspErrorCode.Http:
      return new CliError(
        error.status !== undefined && error.status < 500 ? ExitCode.Refused : ExitCode.Failure,
        error.message,
      );
    case SpspErrorCode.InvalidResponse:
      return new CliError(ExitCode.Failure, `not an SPSP receiver: ${error.message}`);
  }
}

async function closeWithin(connection: StreamConnection, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ended = connection.end().catch(() => undefined);
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  if ((await Promise.race([ended, timedOut])) === 'timeout') {
    await connection.destroy().catch(() => undefined);
  }
  clearTimeout(timer);
}

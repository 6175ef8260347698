/**
 * `tollgate accounts` and `tollgate balance <accountId>`: the node's ILP accounts with their
 * live balances, from the admin API (token from --admin-token or TOLLGATE_ADMIN_TOKEN).
 */
import { TollgateApi } from '../api/tollgate-api';
import { credential, flag, serverUrl, type OptionSpecs, type ParsedArgs } from '../args';
import { printJson, type CliContext, type Command } from '../command';
import { EXIT_CODE_HELP, ExitCode } from '../exit-codes';
import { formatBaseUnits } from '../money/decimal-amount';
import { formatTable } from '../output/table';

/** `GET /api/admin/accounts/:id`, the fields shown here (amounts: base-unit strings). */
interface Account {
  id: string;
  assetCode: string;
  assetScale: number;
  relation: string;
  link: string;
  ilpAddress: string | null;
  balance: string;
  reservedIncoming: string;
  reservedOutgoing: string;
  minBalance: string | null;
  connected: boolean;
}

const ADMIN_OPTIONS = {
  server: { type: 'string' },
  'admin-token': { type: 'string' },
} as const satisfies OptionSpecs;

const ADMIN_HELP = `  --server <url>         Tollgate server (default: $TOLLGATE_URL, else http://localhost:8080)
  --admin-token <token>  the node's admin token (default: $TOLLGATE_ADMIN_TOKEN; prefer the variable)`;

function adminApi(args: ParsedArgs, context: CliContext): TollgateApi {
  return new TollgateApi({
    baseUrl: serverUrl(args, context.env),
    token: credential(args, context.env, 'admin-token', 'TOLLGATE_ADMIN_TOKEN', 'admin token'),
  });
}

const BALANCE_MEANING = `Balances: positive = the node owes the account, negative = the account owes the node.`;

export const accountsCommand: Command = {
  name: 'accounts',
  summary: "the node's ILP accounts with live balances",
  positionals: { min: 0, max: 0, names: '' },
  options: { ...ADMIN_OPTIONS },
  help: `Usage: tollgate accounts [options]

Lists the node's accounts (children, peers, parents, and the merchants' local accounts)
with their live balances, amounts in each account's asset.
${BALANCE_MEANING}

Options:
${ADMIN_HELP}
  --json                 print the accounts as the admin API gives them (amounts in base units)
  -h, --help             this help

${EXIT_CODE_HELP}`,

  async run(args, context) {
    const accounts = await adminApi(args, context).get<Account[]>('/api/admin/accounts');
    if (flag(args, 'json')) {
      printJson(context.stdout, accounts);
      return ExitCode.Ok;
    }
    if (accounts.length === 0) {
      context.stdout.write('No accounts.\n');
      return ExitCode.Ok;
    }
    context.stdout.write(
      formatTable(
        [
          { header: 'id' },
          { header: 'relation' },
          { header: 'link' },
          { header: 'balance', right: true },
          { header: 'asset' },
          { header: 'in flight (in/out)', right: true },
          { header: 'connected' },
        ],
        accounts.map((a) => [
          a.id,
          a.relation,
          a.link,
          formatBaseUnits(a.balance, a.assetScale),
          a.assetCode,
          `${formatBaseUnits(a.reservedIncoming, a.assetScale)} / ${formatBaseUnits(a.reservedOutgoing, a.assetScale)}`,
          a.connected ? 'yes' : 'no',
        ]),
      ),
    );
    return ExitCode.Ok;
  },
};

export const balanceCommand: Command = {
  name: 'balance',
  summary: "one account's live balance",
  positionals: { min: 1, max: 1, names: 'the account id' },
  options: { ...ADMIN_OPTIONS },
  help: `Usage: tollgate balance <accountId> [options]

Shows one account's live balance in its asset.
${BALANCE_MEANING}

Options:
${ADMIN_HELP}
  --json                 print { id, assetCode, assetScale, balance, reservedIncoming,
                         reservedOutgoing, minBalance, connected } (amounts in base units)
  -h, --help             this help

${EXIT_CODE_HELP}`,

  async run(args, context) {
    const id = args.positionals[0];
    const a = await adminApi(args, context).get<Account>(
      `/api/admin/accounts/${encodeURIComponent(id)}`,
    );
    if (flag(args, 'json')) {
      printJson(context.stdout, {
        id: a.id,
        assetCode: a.assetCode,
        assetScale: a.assetScale,
        balance: a.balance,
        reservedIncoming: a.reservedIncoming,
        reservedOutgoing: a.reservedOutgoing,
        minBalance: a.minBalance,
        connected: a.connected,
      });
      return ExitCode.Ok;
    }
    const fmt = (v: string) => `${formatBaseUnits(v, a.assetScale)} ${a.assetCode}`;
    context.stdout.write(
      `${a.id}: ${fmt(a.balance)}` +
        (a.reservedIncoming !== '0' || a.reservedOutgoing !== '0'
          ? ` (in flight: ${fmt(a.reservedIncoming)} in, ${fmt(a.reservedOutgoing)} out)`
          : '') +
        (a.minBalance !== null ? `, may go down to ${fmt(a.minBalance)}` : '') +
        '\n',
    );
    return ExitCode.Ok;
  },
};

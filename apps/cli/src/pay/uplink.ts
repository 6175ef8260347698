/**
 * The sender's way into the Interledger: one BTP link to a connector (a Tollgate node where
 * the user has a child account), and ILDCP over it to learn our ILP address and the asset
 * (code and scale) our amounts are in. No reconnecting: a CLI run either has its link or
 * says why not.
 */
import { BtpClient, isBtpProtocolError, parseBtpUrl } from '@tollgate/btp';
import {
  deserializeIldcpResponseData,
  deserializeIlpReply,
  isFulfill,
  serializeIldcpRequest,
  type IldcpResponse,
} from '@tollgate/ilp-core';
import { CliError, UsageError } from '../cli-error';
import { ExitCode } from '../exit-codes';

export interface Uplink {
  btp: BtpClient;
  /** Our address and the link's asset, from ILDCP. */
  account: IldcpResponse;
  close(): Promise<void>;
}

/** Refuses an unusable URL before any network traffic (a usage error). */
export function checkUplinkUrl(url: string): void {
  try {
    parseBtpUrl(url);
  } catch (error) {
    throw new UsageError(
      `--uplink / TOLLGATE_UPLINK: ${(error as Error).message} (expected btp+ws://user:token@host:8080/btp)`,
    );
  }
}

export async function openUplink(url: string, timeoutMs: number): Promise<Uplink> {
  const btp = new BtpClient({ url, reconnect: false, connectTimeoutMs: timeoutMs });
  try {
    await btp.connect();
  } catch (error) {
    await btp.close().catch(() => undefined);
    // BtpClient's messages already name the server without the token
    if (isBtpProtocolError(error)) {
      throw new CliError(ExitCode.Refused, `the uplink refused us: ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw new CliError(ExitCode.Network, (error as Error).message, { cause: error });
  }
  try {
    return { btp, account: await ildcp(btp, timeoutMs), close: () => btp.close() };
  } catch (error) {
    await btp.close().catch(() => undefined);
    throw error;
  }
}

async function ildcp(btp: BtpClient, timeoutMs: number): Promise<IldcpResponse> {
  let reply;
  try {
    reply = deserializeIlpReply(await btp.sendIlp(serializeIldcpRequest(), timeoutMs));
  } catch (error) {
    throw new CliError(
      ExitCode.Network,
      `ILDCP over the uplink failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!isFulfill(reply)) {
    throw new CliError(
      ExitCode.Refused,
      `the uplink refused ILDCP (is this a child account?): ${reply.code} ${reply.message}`,
    );
  }
  try {
    return deserializeIldcpResponseData(reply.data);
  } catch (error) {
    throw new CliError(
      ExitCode.Failure,
      `the uplink's ILDCP answer is malformed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

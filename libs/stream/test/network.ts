/**
 * In-memory ILP network for STREAM tests: a "connector" function between two endpoints that
 * can apply an exchange rate (with floor, like ilp-connector), a max packet amount (F08 with
 * or without AmountTooLarge data), T04 bursts, delays (which reorder packets in flight),
 * expiries and arbitrary failures; and a helper wiring a client StreamConnection to a
 * StreamServer through two such paths.
 */
import {
  IlpErrorCode,
  IlpPacketType,
  amountTooLargeError,
  deserializeIlpReply,
  deserializePrepare,
  rejectFrom,
  serializeIlpPacket,
  serializePrepare,
  type IlpPrepare,
  type IlpReject,
  type IlpReply,
} from '@tollgate/ilp-core';
import { StreamConnection } from '../src/connection/connection';
import { SendPrepare, StreamConnectionOptions } from '../src/connection/connection-options';
import { NodeStreamCrypto } from '../src/crypto/node-crypto';
import { StreamCrypto } from '../src/crypto/stream-crypto';
import { GenerateOptions, StreamServer, StreamServerOptions } from '../src/server/stream-server';

export interface PathOptions {
  /** Destination units per source unit as [num, den], applied as floor(amount × num / den). */
  rate?: [bigint, bigint] | (() => [bigint, bigint]);
  /** Packets above this get F08. */
  maxPacketAmount?: bigint;
  /** Put AmountTooLarge data in F08s (default true). */
  f08Data?: boolean;
  /** Reject the n-th packet (0-based) with T04 when this says so. */
  t04?: (index: number, prepare: IlpPrepare) => boolean;
  /** Per-packet delay in ms (random delays reorder packets in flight). */
  delayMs?: () => number;
  /** Any other failure: return a Reject to send back instead of forwarding. */
  fail?: (index: number, prepare: IlpPrepare) => IlpReject | undefined;
  /** Serialize and parse every packet on the way (checks the wire format end to end). */
  wire?: boolean;
}

export interface PathStats {
  packets: number;
  forwarded: number;
  fulfilled: number;
  rejects: Record<string, number>;
  /** Sum of amounts delivered (after the rate) in fulfilled packets. */
  deliveredInFulfills: bigint;
  /** Sum of amounts sent (before the rate) in fulfilled packets. */
  sentInFulfills: bigint;
}

export type Path = SendPrepare & { stats: PathStats };

const CONNECTOR = 'test.connector';

function reject(code: string, message = '', data?: Uint8Array): IlpReject {
  return {
    type: IlpPacketType.Reject,
    code,
    triggeredBy: CONNECTOR,
    message,
    data: data ?? new Uint8Array(0),
  };
}

/** A connector in front of `next`. */
export function connectorPath(
  next: (prepare: IlpPrepare) => Promise<IlpReply>,
  options: PathOptions = {},
): Path {
  const stats: PathStats = {
    packets: 0,
    forwarded: 0,
    fulfilled: 0,
    rejects: {},
    deliveredInFulfills: 0n,
    sentInFulfills: 0n,
  };
  const count = (reply: IlpReply): IlpReply => {
    if (reply.type === IlpPacketType.Reject) {
      stats.rejects[reply.code] = (stats.rejects[reply.code] ?? 0) + 1;
    }
    return reply;
  };
  const send = async (incoming: IlpPrepare): Promise<IlpReply> => {
    const prepare = options.wire ? deserializePrepare(serializePrepare(incoming)) : incoming;
    const index = stats.packets++;
    const custom = options.fail?.(index, prepare);
    if (custom) return count(custom);
    if (options.maxPacketAmount !== undefined && prepare.amount > options.maxPacketAmount) {
      if (options.f08Data === false) return count(reject(IlpErrorCode.F08_AMOUNT_TOO_LARGE));
      return count(
        rejectFrom(amountTooLargeError(prepare.amount, options.maxPacketAmount), CONNECTOR),
      );
    }
    if (options.t04?.(index, prepare))
      return count(reject(IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY));
    const [num, den] =
      typeof options.rate === 'function' ? options.rate() : (options.rate ?? [1n, 1n]);
    const amount = (prepare.amount * num) / den;
    const delay = options.delayMs?.() ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (prepare.expiresAt.getTime() <= Date.now())
      return count(reject(IlpErrorCode.R00_TRANSFER_TIMED_OUT));
    stats.forwarded++;
    let reply = await next({ ...prepare, amount });
    if (options.wire) reply = deserializeIlpReply(serializeIlpPacket(reply));
    if (reply.type === IlpPacketType.Fulfill) {
      stats.fulfilled++;
      stats.deliveredInFulfills += amount;
      stats.sentInFulfills += prepare.amount;
    }
    return count(reply);
  };
  return Object.assign(send, { stats });
}

export interface PairOptions {
  crypto?: StreamCrypto;
  /** Client → server path. */
  clientPath?: PathOptions;
  /** Server → client path. */
  serverPath?: PathOptions;
  client?: Partial<StreamConnectionOptions>;
  server?: Partial<StreamServerOptions>;
  generate?: GenerateOptions;
}

export interface Pair {
  client: StreamConnection;
  server: StreamServer;
  toServer: Path;
  toClient: Path;
  /** The server side of the client's connection, once it exists. */
  serverConnection: () => Promise<StreamConnection>;
  destinationAddress: string;
  sharedSecret: Uint8Array;
  close: () => Promise<void>;
}

export const FAST_RETRIES = { retryDelayMs: 2, maxRetryDelayMs: 20 } as const;

/** A client (USD, scale 2 unless overridden) and a server (EUR, scale 6) wired together. */
export async function createPair(options: PairOptions = {}): Promise<Pair> {
  const crypto = options.crypto ?? new NodeStreamCrypto();
  const serverConnections: StreamConnection[] = [];
  const waiting: ((c: StreamConnection) => void)[] = [];
  const toClient = connectorPath((prepare) => client.handlePrepare(prepare), options.serverPath);
  const userOnConnection = options.server?.onConnection;
  const server = new StreamServer({
    serverSecret: crypto.randomBytes(32),
    serverAddress: 'test.server',
    assetCode: 'EUR',
    assetScale: 6,
    crypto,
    sendPrepare: toClient,
    ...options.server,
    connectionOptions: { idleTimeoutMs: 0, ...FAST_RETRIES, ...options.server?.connectionOptions },
    onConnection: async (connection, info) => {
      serverConnections.push(connection);
      for (const w of waiting.splice(0)) w(connection);
      await userOnConnection?.(connection, info);
    },
  });
  const toServer = connectorPath((prepare) => server.handlePrepare(prepare), options.clientPath);
  const { destinationAddress, sharedSecret } = await server.generateAddressAndSecret(
    options.generate,
  );
  const client = await StreamConnection.create({
    crypto,
    sharedSecret,
    destinationAddress,
    sourceAddress: 'test.client',
    assetCode: 'USD',
    assetScale: 2,
    sendPrepare: toServer,
    idleTimeoutMs: 0,
    ...FAST_RETRIES,
    ...options.client,
  });
  const c = client;
  return {
    client,
    server,
    toServer,
    toClient,
    destinationAddress,
    sharedSecret,
    serverConnection: () =>
      serverConnections[0]
        ? Promise.resolve(serverConnections[0])
        : new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      await c.destroy();
      for (const sc of serverConnections) await sc.destroy();
    },
  };
}

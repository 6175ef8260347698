/** Options and defaults of a {@link StreamConnection}. */
import type { IlpPrepare, IlpReply } from '@tollgate/ilp-core';
import type { StreamCrypto } from '../crypto/stream-crypto';
import type { Rational } from '../util/rational';
import type { ConnectionStream } from './connection-stream';
import type { StreamConnection } from './connection';

/** The ILP transport: sends a Prepare and resolves with its Fulfill or Reject. */
export type SendPrepare = (prepare: IlpPrepare) => Promise<IlpReply>;

/**
 * The application's say on incoming money: called once per stream share of a packet that
 * passed every protocol check. `false` (or a throw) refuses the whole packet with F99, and
 * the stream's receive max is lowered to what it already has, so the sender learns that
 * no more will be taken (e.g. an invoice paid in full).
 */
export type ShouldAccept = (
  amount: bigint,
  stream: ConnectionStream,
  connection: StreamConnection,
) => boolean | Promise<boolean>;

export interface StreamConnectionOptions {
  /** 32 bytes, shared with the peer out of band (SPSP). */
  sharedSecret: Uint8Array;
  crypto: StreamCrypto;
  /** Server side opens even stream ids; the client odd ones. Default false. */
  isServer?: boolean;
  /** How this side reaches the peer. Without it the connection only answers. */
  sendPrepare?: SendPrepare;
  /** Our ILP address, told to the peer (ConnectionNewAddress) so it can send to us. */
  sourceAddress?: string;
  /** The peer's address (the client knows it from SPSP; the server learns it). */
  destinationAddress?: string;
  /** Our asset, told to the peer (ConnectionAssetDetails). */
  assetCode?: string;
  assetScale?: number;
  /** Opaque application tag (the server's per-address tag). */
  connectionTag?: string;
  /** RFC 39: put a StreamReceipt in every Fulfill for each stream that got money. */
  receipts?: { nonce: Uint8Array; secret: Uint8Array };
  /** Streams the peer may have open at once (max stream id = 2 × this). Default 10. */
  maxRemoteStreams?: number;
  /**
   * Bytes of incoming data buffered per stream before the peer must wait. Default 65 536;
   * at least 16 384 (what peers send before they hear our window).
   */
  streamWindow?: number;
  /** Bytes buffered over all open streams. Default 262 144; at least 65 534. */
  connectionWindow?: number;
  /** Receive max of streams the peer opens (our units). Default 2^64 − 1 (no limit). */
  defaultReceiveMax?: bigint;
  /**
   * Extra fraction a stream may receive above its receive max (ilp-protocol-stream allows
   * 0.01 for rounding). Default 0: strict, never over the cap.
   */
  receiveMaxTolerance?: number | string | Rational;
  shouldAccept?: ShouldAccept;
  /** Accepted rate loss against the probed rate (default 0.01). */
  slippage?: number | string | Rational;
  /** Significant digits a probe reply must have for the rate to count (default 3). */
  minRateDigits?: number;
  /** Upper bound for money packets, source units (default: learned from F08s). */
  maxPacketAmount?: bigint;
  /** Packets in flight at once (default 4). */
  maxInFlight?: number;
  /** Expiry of our Prepares (default 30 000 ms). */
  packetExpiryMs?: number;
  /** Close after this long without packets either way (default 60 000 ms; 0 = never). */
  idleTimeoutMs?: number;
  /** First back-off after a temporary error (default 100 ms; doubles). */
  retryDelayMs?: number;
  /** Back-off cap (default 5 000 ms). */
  maxRetryDelayMs?: number;
  /** Rejects in a row (no Fulfill in between) before money stops (default 50). */
  maxConsecutiveFailures?: number;
  /** Pad every STREAM packet to the maximum size (hides sizes; costs bandwidth). */
  padPackets?: boolean;
}

export const DEFAULTS = {
  maxRemoteStreams: 10,
  streamWindow: 65_536,
  connectionWindow: 262_144,
  slippage: '0.01',
  minRateDigits: 3,
  maxInFlight: 4,
  packetExpiryMs: 30_000,
  idleTimeoutMs: 60_000,
  retryDelayMs: 100,
  maxRetryDelayMs: 5_000,
  maxConsecutiveFailures: 50,
} as const;

/**
 * The money-sending API of a connection: `connection.pay(options)` opens (or reuses) a
 * stream, sends until the goal is met or the path says no, and resolves with a
 * {@link PayResult} whose numbers are final (packets still in flight are waited for).
 */
import { Rational } from '../util/rational';

export type PayReason =
  /** The source or destination goal was met. */
  | 'complete'
  /** The probed or per-packet rate is below the minimum (rate × (1 − slippage), or minExchangeRate). */
  | 'exchange-rate'
  /** An F08 said the path carries packets of at most 0. */
  | 'max-packet-zero'
  /** The receiver closed the stream or the connection. */
  | 'receiver-closed'
  /** The receiver's StreamMaxMoney leaves no room (e.g. an invoice is paid in full). */
  | 'receive-max'
  /** `maxSourceAmount` of a fixed-delivery payment is spent. */
  | 'source-limit'
  /** `timeoutMs` passed. */
  | 'timeout'
  /** This side closed the stream or the connection. */
  | 'closed'
  /** The ILP transport kept failing (sendPrepare threw) past the retry budget. */
  | 'transport-error'
  /** The connection has no destination address or no sendPrepare to reach it. */
  | 'no-destination'
  /** A final Reject (or too many temporary ones): `rejected:F02`, `rejected:T04`, … */
  | `rejected:${string}`;

export interface PayOptions {
  /** Stream to send on (created when omitted). */
  streamId?: number;
  /** Send exactly this much (source units). */
  sourceAmount?: bigint;
  /** Deliver at least this much (destination units); stops once delivered. */
  destinationAmount?: bigint;
  /** Cap on what a fixed-delivery payment may spend (source units; default unlimited). */
  maxSourceAmount?: bigint;
  /**
   * Lowest acceptable rate, destination units per source unit (decimal string, number or
   * exact rational). Each packet's minimum destination amount is at least amount × this.
   */
  minExchangeRate?: number | string | Rational;
  /** Stop after this long (ms); money in flight still settles. Default: no timeout. */
  timeoutMs?: number;
  /** Called after each fulfilled packet of this payment. */
  onProgress?: (progress: PayProgress) => void;
}

export interface PayProgress {
  sent: bigint;
  delivered: bigint;
}

export interface PayResult {
  streamId: number;
  /** Source units sent in fulfilled packets. */
  sent: bigint;
  /** Destination units the receiver reported arriving in fulfilled packets. */
  delivered: bigint;
  packets: { fulfilled: number; rejected: number };
  reason: PayReason;
  /** The probed rate used (destination per source unit), as a decimal string. */
  exchangeRate?: string;
}

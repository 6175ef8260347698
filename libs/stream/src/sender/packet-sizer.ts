/**
 * How large the next money packet may be (source units): the path's maximum packet amount
 * as learned from F08 Rejects, and a congestion limit below it that is cut on T04 and grows
 * back on Fulfills (AIMD-like).
 *
 * - F08 with AmountTooLarge data (received > maximum): max = floor(sent × maximum / received).
 * - F08 without usable data: max = sent − 1, and the packet size restarts from the middle
 *   between the largest fulfilled amount and that bound (a binary search).
 * - T04: limit = limit − limit/3, never below 2 (FACTS §8.9); a later Fulfill at the limit
 *   closes half the gap to the max (or doubles it while the max is unknown).
 * - max 0: the path cannot carry money at all.
 */
import { MAX_UINT64, deserializeAmountTooLargeData } from '@tollgate/ilp-core';

export class PacketSizer {
  /** Upper bound: packets above it are known to fail (or the configured cap). */
  maxPacketAmount: bigint;
  /** Current congestion limit (≤ max). */
  private limit: bigint;
  /** Largest amount seen fulfilled. */
  private verified = 0n;

  constructor(configuredMax: bigint = MAX_UINT64) {
    this.maxPacketAmount = configuredMax;
    this.limit = configuredMax;
  }

  /** The amount the next packet may carry. */
  get current(): bigint {
    return this.limit < this.maxPacketAmount ? this.limit : this.maxPacketAmount;
  }

  get maxKnown(): boolean {
    return this.maxPacketAmount < MAX_UINT64;
  }

  /** Applies an F08 for a packet of `sent`; returns the new maximum. */
  onAmountTooLarge(sent: bigint, data: Uint8Array): bigint {
    let scaled: bigint | undefined;
    try {
      const { receivedAmount, maximumAmount } = deserializeAmountTooLargeData(data, {
        allowTrailingBytes: true,
      });
      if (receivedAmount > maximumAmount && receivedAmount > 0n) {
        scaled = (sent * maximumAmount) / receivedAmount;
      }
    } catch {
      scaled = undefined; // missing or malformed: the only safe inference is sent − 1
    }
    if (scaled !== undefined) {
      if (scaled < this.maxPacketAmount) this.maxPacketAmount = scaled;
      this.limit = this.maxPacketAmount;
    } else {
      const bound = sent > 0n ? sent - 1n : 0n;
      if (bound < this.maxPacketAmount) this.maxPacketAmount = bound;
      const low = this.verified < this.maxPacketAmount ? this.verified : 0n;
      this.limit = low + (this.maxPacketAmount - low + 1n) / 2n;
      if (this.limit === 0n) this.limit = this.maxPacketAmount;
    }
    return this.maxPacketAmount;
  }

  /** Applies a T04 for a packet of `sent`. */
  onInsufficientLiquidity(sent: bigint): void {
    const base = sent < this.current ? sent : this.current;
    const reduced = base - base / 3n;
    this.limit = reduced > 2n ? reduced : 2n;
  }

  /** Applies a Fulfill for a packet of `sent`. */
  onFulfill(sent: bigint): void {
    if (sent > this.verified) this.verified = sent;
    if (sent < this.limit || this.limit >= this.maxPacketAmount) return;
    if (this.maxKnown) {
      const gap = this.maxPacketAmount - this.limit;
      this.limit += gap > 1n ? (gap + 1n) / 2n : gap;
    } else {
      this.limit = this.limit * 2n > MAX_UINT64 ? MAX_UINT64 : this.limit * 2n;
    }
  }
}

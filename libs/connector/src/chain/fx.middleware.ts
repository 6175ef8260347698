/**
 * FX: convert the amount into the next hop's asset and scale, exactly.
 *
 * amount_out = floor(amount_in × rate × (1 − spread)), where rate comes from the RateSource
 * as an exact rational (scales included) and the spread is a decimal fraction: all bigint,
 * never a float, and never rounded up (the connector must not promise more than it got).
 * The combined rational is cached per account pair until the rate source's version or the
 * connector's config changes, so a packet costs one multiplication and one division.
 *
 * - same asset code and scale, no spread: forwarded unchanged, no rate needed;
 * - no rate known → T00 Internal Error: a missing rate is this node's configuration problem
 *   and temporary (an admin sets it), not the sender's fault (interledger-rs answers T00
 *   too; ilp-connector's generic F00 would tell senders never to retry);
 * - a non-zero amount that converts to 0 → R01 Insufficient Source Amount;
 * - a result above 2^64 − 1 → F03 Invalid Amount (not representable downstream).
 */
import {
  IlpError,
  IlpErrorCode,
  MAX_UINT64 as MAX_AMOUNT,
  type IlpReply,
} from '@tollgate/ilp-core';
import { AccountState, CachedRate } from '../accounts/account-state';
import { NodeRuntime } from '../node-runtime';
import { RateSource } from '../rates/rate-source';
import { multiply, ONE } from '../rates/rational';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

// Values used per packet are bound to module locals once: CommonJS output (tsc re-exports,
// esbuild/swc for every export) reads imported names through getters on each use.
const MAX_UINT64: bigint = MAX_AMOUNT;

export class FxMiddleware implements PacketService {
  constructor(
    private readonly next: PacketService,
    private readonly rates: RateSource,
    private readonly runtime: NodeRuntime,
  ) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    const from = ctx.from;
    const to = ctx.to as AccountState;
    let rate = from.rates.get(to.id);
    if (
      rate === undefined ||
      rate.sourceVersion !== this.rates.version ||
      rate.configVersion !== this.runtime.configVersion
    ) {
      rate = this.computeRate(from, to);
    }
    const amount = ctx.prepare.amount;
    const out = rate.identity ? amount : (amount * rate.numerator) / rate.denominator;
    if (out === 0n && amount !== 0n) {
      throw new IlpError(
        IlpErrorCode.R01_INSUFFICIENT_SOURCE_AMOUNT,
        `amount ${amount} ${from.assetCode} is worth nothing in ${to.assetCode} after conversion`,
      );
    }
    if (out > MAX_UINT64) {
      throw new IlpError(IlpErrorCode.F03_INVALID_AMOUNT, 'converted amount exceeds 2^64 - 1');
    }
    ctx.outAmount = out;
    return this.next.handle(ctx);
  }

  private computeRate(from: AccountState, to: AccountState): CachedRate {
    const sameAsset = from.assetCode === to.assetCode && from.assetScale === to.assetScale;
    const base = sameAsset
      ? ONE
      : this.rates.rate(
          { code: from.assetCode, scale: from.assetScale },
          { code: to.assetCode, scale: to.assetScale },
        );
    if (base === undefined) {
      throw new IlpError(
        IlpErrorCode.T00_INTERNAL_ERROR,
        `no exchange rate from ${from.assetCode} to ${to.assetCode}`,
      );
    }
    const effective = multiply(base, this.runtime.keepFraction);
    const rate: CachedRate = {
      sourceVersion: this.rates.version,
      configVersion: this.runtime.configVersion,
      identity: effective.numerator === effective.denominator,
      numerator: effective.numerator,
      denominator: effective.denominator,
    };
    from.rates.set(to.id, rate);
    return rate;
  }
}

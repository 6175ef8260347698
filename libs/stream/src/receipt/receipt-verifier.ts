/**
 * A receipt verifier (RFC 39): hands out nonce + secret pairs for receivers, then turns the
 * receipts a sender forwards into credit, counting each unit once.
 *
 * Secrets are stateless, derived from a private seed as interledger/receipt-verifier does:
 * secret = HMAC-SHA256(HMAC-SHA256(seed, "receipt_secret"), nonce). What is kept per nonce
 * is its creation time (for the TTL) and the highest total seen per stream, so a replayed
 * or older receipt credits nothing.
 */
import { toHex } from '@tollgate/ilp-core';
import { StreamCrypto, StreamCryptoKey } from '../crypto/stream-crypto';
import { ReceiptError } from '../errors';
import { Receipt, RECEIPT_NONCE_LENGTH, verifyReceipt } from './receipt';

const RECEIPT_SECRET_STRING = Uint8Array.from('receipt_secret', (c) => c.charCodeAt(0));

/** secret = HMAC-SHA256(HMAC-SHA256(seed, "receipt_secret"), nonce). */
export async function deriveReceiptSecret(
  crypto: StreamCrypto,
  seed: Uint8Array,
  nonce: Uint8Array,
): Promise<Uint8Array> {
  return crypto.hmacSha256(await crypto.hmacSha256(seed, RECEIPT_SECRET_STRING), nonce);
}

export interface ReceiptVerifierOptions {
  crypto: StreamCrypto;
  /** Private seed for the secrets (default: 32 random bytes, so secrets die with the process). */
  seed?: Uint8Array;
  /** How long after its nonce was issued a receipt is accepted (default 300 000 ms). */
  ttlMs?: number;
  now?: () => number;
}

export interface VerifiedReceipt {
  receipt: Receipt;
  /** The receipt's cumulative total for its stream. */
  totalReceived: bigint;
  /** What to credit now: totalReceived minus the previous highest for (nonce, streamId). */
  increase: bigint;
}

interface NonceState {
  createdAt: number;
  highest: Map<number, bigint>;
}

export class ReceiptVerifier {
  private readonly nonces = new Map<string, NonceState>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly crypto: StreamCrypto,
    private readonly secretKey: StreamCryptoKey,
    options: ReceiptVerifierOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  static async create(options: ReceiptVerifierOptions): Promise<ReceiptVerifier> {
    const seed = options.seed ?? options.crypto.randomBytes(32);
    const key = await options.crypto.importHmacKey(
      await options.crypto.hmacSha256(seed, RECEIPT_SECRET_STRING),
    );
    return new ReceiptVerifier(options.crypto, key, options);
  }

  /** A fresh nonce and its secret, to pass to the receiver (never to the sender). */
  async generateNonceAndSecret(): Promise<{ nonce: Uint8Array; secret: Uint8Array }> {
    const nonce = this.crypto.randomBytes(RECEIPT_NONCE_LENGTH);
    this.nonces.set(toHex(nonce), { createdAt: this.now(), highest: new Map() });
    return { nonce, secret: await this.secretFor(nonce) };
  }

  async secretFor(nonce: Uint8Array): Promise<Uint8Array> {
    return this.crypto.hmacSha256(this.secretKey, nonce);
  }

  /**
   * Verifies a receipt and records its total. Throws ReceiptError: 'malformed',
   * 'invalid-version', 'invalid-hmac', 'unknown-nonce' (not issued here, or forgotten
   * after its TTL), 'expired', 'not-increasing' (not above the highest seen for its stream).
   */
  async verify(bytes: Uint8Array): Promise<VerifiedReceipt> {
    const receipt = await verifyReceipt(this.crypto, bytes, (r) => this.secretFor(r.nonce));
    const state = this.nonces.get(toHex(receipt.nonce));
    if (state === undefined) throw new ReceiptError('unknown-nonce');
    if (this.now() > state.createdAt + this.ttlMs) throw new ReceiptError('expired');
    const previous = state.highest.get(receipt.streamId) ?? 0n;
    if (receipt.totalReceived <= previous) {
      throw new ReceiptError(
        'not-increasing',
        `stream ${receipt.streamId}: ${receipt.totalReceived} <= ${previous}`,
      );
    }
    state.highest.set(receipt.streamId, receipt.totalReceived);
    return {
      receipt,
      totalReceived: receipt.totalReceived,
      increase: receipt.totalReceived - previous,
    };
  }

  /** Forgets nonces older than the TTL (their receipts would be 'expired' anyway). */
  prune(): number {
    const cutoff = this.now() - this.ttlMs;
    let removed = 0;
    for (const [key, state] of this.nonces) {
      if (state.createdAt < cutoff) {
        this.nonces.delete(key);
        removed++;
      }
    }
    return removed;
  }
}

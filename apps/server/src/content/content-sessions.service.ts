/**
 * Paid reading sessions. A session is a reader's claim on one article: its own payment
 * pointer (`$host/<merchant>/sessions/<id>`), a bearer token shown once, and a meter of
 * reading time. The paid paragraphs are released only while the session's verified money
 * covers the time used (see session-meter.ts).
 *
 * Where verified money comes from:
 * - Articles paid to this node: every STREAM connection minted for the session is tagged
 *   `s.<session id>.<random>`, so each Fulfill's credit is journaled under that ref in the
 *   same durable batch as the merchant's balance (as invoices are). The journal is the
 *   authority; receipts the browser posts are checked and reported, never added to it.
 * - Articles paid to an external wallet: this node never sees those packets. Its session
 *   SPSP endpoint proxies the query to the wallet with `Receipt-Nonce` / `Receipt-Secret`
 *   (RFC 39), a fresh nonce per query so every connection's streams count apart, and counts
 *   only receipts that verify: the secret is derived from a node secret and the nonce
 *   (never stored, never sent to the reader), the nonce must have been issued for this
 *   session, and only a total above the highest already seen for (nonce, stream) adds money.
 *   This is the receipt-verifier scheme of `@tollgate/stream` (`deriveReceiptSecret`,
 *   `verifyReceipt`) with its memory in Postgres instead of a process, so receipts count
 *   once across restarts and instances.
 *
 * Ending early loses nothing: bought time not read stays with the session, reported as
 * `remainingSeconds`, and the token resumes it later.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { toBase64 } from '@tollgate/ilp-core';
import {
  handleSpspRequest,
  querySpsp,
  SPSP_CORS_HEADERS,
  SPSP_MEDIA_TYPE,
  type SpspHttpResponse,
  type SpspResponse,
} from '@tollgate/spsp';
import {
  decodeReceipt,
  deriveReceiptSecret,
  isReceiptError,
  RECEIPT_NONCE_LENGTH,
  verifyReceipt,
  type Receipt,
} from '@tollgate/stream';
import { nodeStreamCrypto } from '@tollgate/stream/node';
import { bearerToken } from '../admin/admin.guard';
import { generateToken, hashSecret, secretMatches } from '../admin/secret-hash';
import { serializeAmount } from '../common/money/amount';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MerchantsService } from '../merchants/merchants.service';
import { NodeSecretsService } from '../receiving/node-secrets.service';
import { ReceiverPolicy, StreamReceiverService } from '../receiving/stream-receiver.service';
import { ContentSession } from './content-session.entity';
import { ContentError, ContentErrorCode as Code } from './content.errors';
import { ContentRepository } from './content.repository';
import { ContentService, priceView } from './content.service';
import { CreatedSessionDto, ReceiptAcceptedDto, SessionStateDto } from './dto/content-views.dto';
import { SessionClock } from './session-clock';
import {
  beat,
  HEARTBEAT_SECONDS,
  isUnlocked,
  METER_RULES,
  remainingSeconds,
  secondsBought,
  type Price,
} from './session-meter';

const SESSION_TAG = /^s\.([0-9a-f-]{36})\./;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** Per-view sessions whose cap is kept in memory at most; the oldest are reloaded if needed. */
const MAX_CACHED_CAPS = 10_000;

/** A per-view session's cap as the receiver enforces it before money is durable. */
interface CapState {
  cap: bigint | undefined;
  accepted: bigint;
}

/** An SPSP answer other than 200/404 (the external wallet failed or cannot issue receipts). */
class SpspRefusal extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

@Injectable()
export class ContentSessionsService implements OnModuleInit, ReceiverPolicy {
  private readonly caps = new Map<string, CapState>();
  private readonly capsLoading = new Map<string, Promise<CapState | undefined>>();
  private seed: Promise<Uint8Array> | undefined;

  constructor(
    private readonly repository: ContentRepository,
    private readonly content: ContentService,
    private readonly merchants: MerchantsService,
    private readonly receiver: StreamReceiverService,
    private readonly secrets: NodeSecretsService,
    private readonly clock: SessionClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.receiver.registerPolicy('s', this);
  }

  /** `merchantSlug` undefined: the node's default merchant. */
  async create(
    merchantSlug: string | undefined,
    slug: string,
    baseUrl: string,
  ): Promise<CreatedSessionDto> {
    const { merchant, item } = await this.content.published(merchantSlug, slug);
    const token = generateToken('tg_read');
    const session = Object.assign(new ContentSession(), {
      id: randomUUID(),
      contentId: item.id,
      merchantId: merchant.id,
      tokenHash: hashSecret(token),
      pricePer: item.pricePer,
      priceAmount: item.priceAmount,
      externalPointer: item.externalPointer,
      usedMs: 0,
      lastBeatMs: null,
    });
    await this.repository.insertSession(session);
    const url = new URL(`/${merchant.slug}/sessions/${session.id}`, baseUrl);
    return {
      sessionId: session.id,
      contentId: item.id,
      token,
      paymentPointer: `$${url.host}${url.pathname}`,
      spspUrl: url.toString(),
      monetizationHref: url.toString(),
      pricing: priceView(session.pricePer, session.priceAmount, merchant),
      receiptsRequired: session.externalPointer !== null,
      heartbeatSeconds: HEARTBEAT_SECONDS,
      graceSeconds: METER_RULES.graceMs / 1000,
    };
  }

  /** Reading the content is a visible beat: time counts from here until the next beat. */
  async read(id: string, authorization: string | undefined): Promise<SessionStateDto> {
    await this.authenticate(id, authorization);
    return this.beat(id, true);
  }

  async heartbeat(
    id: string,
    authorization: string | undefined,
    visible: boolean,
  ): Promise<SessionStateDto> {
    await this.authenticate(id, authorization);
    return this.beat(id, visible);
  }

  /**
   * Checks, in order: the bytes are a receipt; its nonce was issued by this node; its HMAC
   * is right for that nonce's secret; the nonce is this session's; its total is above the
   * highest counted for (nonce, stream). Only then does the increase count.
   */
  async postReceipt(
    id: string,
    authorization: string | undefined,
    encoded: string,
  ): Promise<ReceiptAcceptedDto> {
    const session = await this.authenticate(id, authorization);
    const bytes = BASE64.test(encoded) ? new Uint8Array(Buffer.from(encoded, 'base64')) : null;
    let receipt: Receipt;
    try {
      if (!bytes) throw new Error('not base64');
      receipt = decodeReceipt(bytes);
    } catch (error) {
      throw new ContentError(
        Code.MalformedReceipt,
        `receipt must be a base64 STREAM receipt (58 bytes, version 1): ${(error as Error).message}`,
        [{ field: 'receipt', problems: ['not a STREAM receipt'] }],
      );
    }
    const owner = await this.repository.nonceSession(receipt.nonce);
    if (!owner) {
      throw new ContentError(
        Code.UnknownReceiptNonce,
        "the receipt's nonce was not issued by this node: pay the session's own pointer",
      );
    }
    try {
      await verifyReceipt(nodeStreamCrypto, bytes!, await this.receiptSecret(receipt.nonce));
    } catch (error) {
      if (!isReceiptError(error)) throw error;
      throw new ContentError(Code.ForgedReceipt, 'the receipt does not verify (invalid hmac)');
    }
    if (owner !== session.id) {
      throw new ContentError(Code.ReceiptOtherSession, 'the receipt is for another session');
    }
    const record = await this.repository.recordReceipt(
      receipt.nonce,
      receipt.streamId,
      session.id,
      receipt.totalReceived,
    );
    if (record.outcome === 'not-increasing') {
      throw new ContentError(
        Code.ReceiptReplayed,
        `the receipt's total ${receipt.totalReceived} is not above ${record.highest}, already counted for its stream`,
      );
    }
    const state = await this.beat(id, undefined);
    return { ...state, increase: serializeAmount(receipt.totalReceived - record.previous) };
  }

  /**
   * The session's SPSP answer: this node's own STREAM credentials (tagged, with receipts
   * for a fresh nonce), or the external wallet's, queried with a fresh nonce and secret.
   */
  async spsp(
    merchantSlug: string,
    id: string,
    headers: IncomingHttpHeaders,
  ): Promise<SpspHttpResponse> {
    try {
      return await handleSpspRequest({ headers }, async (incoming) => {
        if (!UUID.test(id)) return undefined;
        const session = await this.repository.findSession(id);
        const merchant = session ? await this.merchants.findBySlug(merchantSlug) : null;
        if (!session || !merchant || session.merchantId !== merchant.id) return undefined;
        if (session.externalPointer === null) {
          // A verifier upstream of us asked for receipts: its nonce, not ours.
          const receipts = incoming ?? (await this.newNonce(session.id));
          const credentials = await this.receiver.credentialsForTag(
            merchant,
            's',
            session.id,
            receipts,
          );
          return {
            destinationAccount: credentials.destinationAddress,
            sharedSecret: credentials.sharedSecret,
            receiptsEnabled: true,
          };
        }
        if (incoming) {
          throw new SpspRefusal(
            409,
            'InvalidReceiptsError',
            "this receiver's receipts are verified by this node; it cannot issue another verifier's",
          );
        }
        return this.proxy(session.externalPointer, await this.newNonce(session.id));
      });
    } catch (error) {
      if (!(error instanceof SpspRefusal)) throw error;
      return {
        status: error.status,
        headers: {
          'content-type': SPSP_MEDIA_TYPE,
          'cache-control': 'no-store',
          ...SPSP_CORS_HEADERS,
        },
        body: { id: error.id, message: error.message },
      };
    }
  }

  // ---------------------------------------------------------------- receiver policy

  /** Per-view sessions take money up to the price, no more; per-second ones take any amount. */
  async shouldAccept(tag: string, amount: bigint): Promise<boolean> {
    const state = await this.capState(tag);
    if (!state) return false;
    if (state.cap === undefined) return true;
    if (state.accepted + amount > state.cap) return false;
    state.accepted += amount;
    return true;
  }

  async receiveMax(tag: string): Promise<bigint | undefined> {
    const state = await this.capState(tag);
    if (!state) return 0n;
    return state.cap === undefined ? undefined : state.cap - state.accepted;
  }

  // ---------------------------------------------------------------- internals

  private async authenticate(
    id: string,
    authorization: string | undefined,
  ): Promise<ContentSession> {
    const token = bearerToken(authorization);
    if (!token) {
      throw new ContentError(
        Code.SessionTokenRequired,
        "the session's token is required (Authorization: Bearer <token>)",
      );
    }
    const session = await this.repository.findSession(id);
    if (!session) throw new ContentError(Code.UnknownSession, `no session ${id}`);
    if (!secretMatches(token, session.tokenHash)) {
      throw new ContentError(Code.InvalidSessionToken, 'this token does not open this session');
    }
    return session;
  }

  private async beat(id: string, visible: boolean | undefined): Promise<SessionStateDto> {
    const now = this.clock.now();
    const result = await this.repository.updateMeter(id, (session, paid) =>
      beat(session, price(session), paid, now, visible),
    );
    if (!result) throw new ContentError(Code.UnknownSession, `no session ${id}`);
    const { session, paid, receipts } = result;
    const item = await this.repository.findItemById(session.contentId);
    if (!item) throw new ContentError(Code.UnknownSession, `no session ${id}`);
    const merchant = await this.merchants.getEntity(session.merchantId);
    const unlocked = isUnlocked(price(session), paid, session.usedMs);
    return {
      sessionId: session.id,
      contentId: session.contentId,
      pricing: priceView(session.pricePer, session.priceAmount, merchant),
      paidAmount: serializeAmount(paid),
      receiptsAmount: serializeAmount(receipts),
      usedSeconds: session.usedMs / 1000,
      secondsBought: serializeAmount(secondsBought(price(session), paid)),
      remainingSeconds: serializeAmount(remainingSeconds(price(session), paid, session.usedMs)),
      graceSeconds: METER_RULES.graceMs / 1000,
      heartbeatSeconds: HEARTBEAT_SECONDS,
      active: session.lastBeatMs !== null,
      unlocked,
      unlockedParagraphs: unlocked ? item.paragraphs : [],
      lockedCount: unlocked ? 0 : item.paragraphs.length,
    };
  }

  private async proxy(
    pointer: string,
    receipts: { nonce: Uint8Array; secret: Uint8Array },
  ): Promise<SpspResponse> {
    let answer: SpspResponse;
    try {
      answer = await querySpsp(pointer, {
        allowInsecure: this.config.allowInsecurePointers,
        receiptNonce: toBase64(receipts.nonce),
        receiptSecret: toBase64(receipts.secret),
        timeoutMs: 10_000,
      });
    } catch (error) {
      throw new SpspRefusal(
        502,
        'UpstreamReceiverError',
        `the wallet behind this session did not answer: ${(error as Error).message}`,
      );
    }
    if (answer.receiptsEnabled !== true) {
      // Without receipts its payments could never be verified, so nothing would unlock.
      throw new SpspRefusal(
        409,
        'ReceiptsNotSupportedError',
        'the wallet behind this session does not issue STREAM receipts',
      );
    }
    return { ...answer, receiptsEnabled: true };
  }

  /** A nonce no one has seen, recorded as this session's, and its derived secret. */
  private async newNonce(sessionId: string): Promise<{ nonce: Uint8Array; secret: Uint8Array }> {
    const nonce = nodeStreamCrypto.randomBytes(RECEIPT_NONCE_LENGTH);
    await this.repository.insertNonce(nonce, sessionId);
    return { nonce, secret: await this.receiptSecret(nonce) };
  }

  private async receiptSecret(nonce: Uint8Array): Promise<Uint8Array> {
    this.seed ??= this.secrets.streamSecret().then(
      // Its own key, derived: receipt secrets never reveal anything about STREAM secrets.
      (secret) => new Uint8Array(createHmac('sha256', secret).update('content-receipts').digest()),
      (error: unknown) => {
        this.seed = undefined;
        throw error;
      },
    );
    return deriveReceiptSecret(nodeStreamCrypto, await this.seed, nonce);
  }

  private capState(tag: string): Promise<CapState | undefined> {
    const id = SESSION_TAG.exec(tag)?.[1];
    if (!id) return Promise.resolve(undefined);
    const known = this.caps.get(id);
    if (known) return Promise.resolve(known);
    let loading = this.capsLoading.get(id);
    if (!loading) {
      loading = (async () => {
        try {
          const session = await this.repository.findSession(id);
          if (!session) return undefined;
          const state: CapState =
            session.pricePer === 'view'
              ? { cap: session.priceAmount, accepted: await this.repository.journalPaid(id) }
              : { cap: undefined, accepted: 0n };
          if (this.caps.size >= MAX_CACHED_CAPS) {
            this.caps.delete(this.caps.keys().next().value as string);
          }
          this.caps.set(id, state);
          return state;
        } finally {
          this.capsLoading.delete(id);
        }
      })();
      this.capsLoading.set(id, loading);
    }
    return loading;
  }
}

function price(session: ContentSession): Price {
  return { per: session.pricePer, amount: session.priceAmount };
}

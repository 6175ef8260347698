/**
 * The merchants' STREAM receivers. Each merchant's connector account (id = slug) has an
 * in-process link to a StreamServer under `<node>.<slug>`: packets reach it through the
 * connector like any hop, and each Fulfill's credit is journaled with the connection's tag as
 * its ref, so what every connection (and so every invoice) received is durable with the
 * balance, exactly once.
 *
 * Connection tags: `m.<random>` for the merchant's own pointer, `i.<invoice id>.<random>` for
 * an invoice. An invoice's connections stop accepting money once it is covered, expired or
 * paid: the sender gets the receiver's refusal (F99 with StreamMaxMoney) and stops. Other
 * modules mint tags of their own (`s.<session id>.<random>` for paid-content sessions) and
 * may register a {@link ReceiverPolicy} for them, so this module never depends on theirs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AccountLink, LocalDelivery } from '@tollgate/connector';
import { IlpError, IlpErrorCode, IlpPacketType, type IlpPrepare } from '@tollgate/ilp-core';
import { StreamServer, type AddressAndSecret } from '@tollgate/stream';
import { nodeStreamCrypto } from '@tollgate/stream/node';
import { ConnectorService } from '../connector/connector.service';
import { InvoiceEvents } from '../invoices/invoice-events';
import { InvoicesService } from '../invoices/invoices.service';
import { Merchant } from '../merchants/merchant.entity';
import { MerchantEvents } from '../merchants/merchant-events';
import { MerchantsService } from '../merchants/merchants.service';
import { NodeSecretsService } from './node-secrets.service';

/** In-memory view of an open invoice, for deciding on money before it is durable. */
interface InvoiceState {
  merchantId: string;
  amount: bigint;
  /** Accepted so far (durable or about to be). */
  accepted: bigint;
  expiresAtMs: number;
  open: boolean;
  /** When this instance last accepted a share for the invoice. */
  lastAcceptAtMs: number;
}

/**
 * A share accepted by `shouldAccept` is fulfilled at once and durable a few milliseconds
 * later, or the packet dies (a later share of it refused, the connection closed, the
 * Fulfill too late for the connector): then the in-memory count is ahead of the journal.
 * Once nothing has been accepted for longer than any packet can be in flight, the journal
 * is the whole truth, so an invoice that looks covered in memory is reloaded from it
 * instead of refusing its last units until a restart.
 */
const IN_FLIGHT_WINDOW_MS = 35_000;

/** Another module's say on money for the connection tags it minted (see `credentialsForTag`). */
export interface ReceiverPolicy {
  /** Whether to take this share; called before the money is fulfilled. */
  shouldAccept(tag: string, amount: bigint): Promise<boolean>;
  /** Advertised as each new stream's receive max; undefined: no cap. */
  receiveMax(tag: string): Promise<bigint | undefined>;
}

const INVOICE_TAG = /^i\.([0-9a-f-]{36})\.[A-Za-z0-9_-]+$/;
/** Invoices kept in memory at most; the oldest are dropped and reloaded if paid again. */
const MAX_CACHED_INVOICES = 10_000;

@Injectable()
export class StreamReceiverService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StreamReceiver');
  private readonly servers = new Map<string, StreamServer>();
  private readonly invoices = new Map<string, InvoiceState>();
  private readonly loading = new Map<string, Promise<InvoiceState | undefined>>();
  private readonly policies = new Map<string, ReceiverPolicy>();

  constructor(
    private readonly connectorService: ConnectorService,
    private readonly merchants: MerchantsService,
    private readonly invoiceService: InvoicesService,
    private readonly secrets: NodeSecretsService,
    private readonly updates: InvoiceEvents,
    events: MerchantEvents,
  ) {
    events.onCreated(async (merchant) => {
      await this.attach(merchant);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const merchant of await this.merchants.listEntities()) await this.attach(merchant);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.close().catch(() => undefined)));
  }

  /** Fresh STREAM credentials for the merchant's pointer, or for one of its invoices. */
  async credentials(
    merchant: Merchant,
    invoiceId: string | undefined,
    receipts?: { nonce: Uint8Array; secret: Uint8Array },
  ): Promise<AddressAndSecret> {
    const server = this.servers.get(merchant.id) ?? (await this.attach(merchant));
    const nonce = randomBytes(12).toString('base64url');
    return server.generateAddressAndSecret({
      connectionTag: invoiceId ? `i.${invoiceId}.${nonce}` : `m.${nonce}`,
      ...(receipts ? { receiptNonce: receipts.nonce, receiptSecret: receipts.secret } : {}),
    });
  }

  /**
   * Fresh credentials whose connections are tagged `<prefix>.<id>.<random>`: every credit
   * they bring is journaled under that ref, in the same batch as the merchant's balance.
   */
  async credentialsForTag(
    merchant: Merchant,
    prefix: string,
    id: string,
    receipts?: { nonce: Uint8Array; secret: Uint8Array },
  ): Promise<AddressAndSecret> {
    // `i` and `m` are this module's own (invoices, merchant pointers).
    if (!/^[a-z]$/.test(prefix) || prefix === 'i' || prefix === 'm') {
      throw new RangeError(`tag prefix ${prefix} is not free`);
    }
    const server = this.servers.get(merchant.id) ?? (await this.attach(merchant));
    return server.generateAddressAndSecret({
      connectionTag: `${prefix}.${id}.${randomBytes(12).toString('base64url')}`,
      ...(receipts ? { receiptNonce: receipts.nonce, receiptSecret: receipts.secret } : {}),
    });
  }

  /** Lets the module owning tags `<prefix>.…` decide on their money. */
  registerPolicy(prefix: string, policy: ReceiverPolicy): void {
    this.policies.set(prefix, policy);
  }

  private policyFor(tag: string | undefined): ReceiverPolicy | undefined {
    return tag && tag[1] === '.' ? this.policies.get(tag[0]) : undefined;
  }

  private async attach(merchant: Merchant): Promise<StreamServer> {
    const existing = this.servers.get(merchant.id);
    if (existing) return existing;
    const connector = this.connectorService.connector;
    const nodeSecret = await this.secrets.streamSecret();
    const server = new StreamServer({
      // One secret per merchant, derived: tokens of one merchant mean nothing to another.
      serverSecret: createHmac('sha256', nodeSecret).update(`merchant:${merchant.id}`).digest(),
      serverAddress: `${connector.address}.${merchant.slug}`,
      assetCode: merchant.assetCode,
      assetScale: merchant.assetScale,
      crypto: nodeStreamCrypto,
      shouldAccept: (amount, _stream, connection) =>
        this.shouldAccept(merchant, connection.connectionTag, amount),
      onConnection: async (connection, { connectionTag }) => {
        const policy = this.policyFor(connectionTag);
        if (policy && connectionTag) {
          // Advisory, like an invoice's: shouldAccept still enforces the cap on every share.
          const max = await policy.receiveMax(connectionTag);
          if (max !== undefined) {
            connection.on('stream', (stream) => stream.setReceiveMax(max > 0n ? max : 0n));
          }
          return;
        }
        const invoiceId = connectionTag ? INVOICE_TAG.exec(connectionTag)?.[1] : undefined;
        if (!invoiceId) return;
        await this.currentInvoiceState(invoiceId, 1n);
        // Advertise what is still due as each stream's receive max, so a sender offering
        // more learns the cap from the first reply and pays exactly the rest; shouldAccept
        // still enforces it across concurrent connections.
        connection.on('stream', (stream) => {
          const state = this.invoices.get(invoiceId);
          const due = state && state.open ? state.amount - state.accepted : 0n;
          stream.setReceiveMax(due > 0n ? due : 0n);
        });
      },
    });
    this.servers.set(merchant.id, server);
    const link: AccountLink = {
      connected: true,
      send: () =>
        Promise.reject(
          new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, 'local receiver takes typed packets'),
        ),
      deliver: (prepare) => this.deliver(merchant, server, prepare),
    };
    connector.setLink(merchant.slug, link);
    return server;
  }

  private async deliver(
    merchant: Merchant,
    server: StreamServer,
    prepare: IlpPrepare,
  ): Promise<LocalDelivery> {
    const reply = await server.handlePrepare(prepare);
    if (reply.type !== IlpPacketType.Fulfill) return { reply };
    const tag = await server.connectionTagOf(prepare.destination);
    const invoiceId = tag ? INVOICE_TAG.exec(tag)?.[1] : undefined;
    const state = invoiceId ? this.invoices.get(invoiceId) : undefined;
    if (invoiceId && state) {
      this.updates.publish({ invoiceId, status: 'open', received: state.accepted.toString() });
    }
    // Only the packet that covers the invoice (as far as this instance knows) updates it,
    // once its credit is durable: then the journal shows the invoice covered.
    const onDurable =
      invoiceId && (!state || state.accepted >= state.amount)
        ? () => void this.markPaid(invoiceId)
        : undefined;
    return tag ? { reply, creditRef: tag, onDurable } : { reply };
  }

  private async markPaid(invoiceId: string): Promise<void> {
    try {
      if (await this.invoiceService.markPaidIfCovered(invoiceId)) {
        const now = await this.invoiceService.forPayment(invoiceId);
        this.updates.publish({
          invoiceId,
          status: 'paid',
          received: (now?.received ?? 0n).toString(),
        });
      }
    } catch (error) {
      this.logger.error({ err: error, invoiceId, msg: 'could not update invoice status' });
    }
  }

  /** The merchant's own pointer takes any amount; an invoice only up to what is still due. */
  private async shouldAccept(
    merchant: Merchant,
    tag: string | undefined,
    amount: bigint,
  ): Promise<boolean> {
    const policy = this.policyFor(tag);
    if (policy && tag) return policy.shouldAccept(tag, amount);
    const invoiceId = tag ? INVOICE_TAG.exec(tag)?.[1] : undefined;
    if (!invoiceId) return true;
    const state = await this.currentInvoiceState(invoiceId, amount);
    const now = this.now();
    if (!state || state.merchantId !== merchant.id || !state.open) return false;
    if (now >= state.expiresAtMs) {
      state.open = false;
      return false;
    }
    if (state.accepted + amount > state.amount) return false;
    state.accepted += amount;
    state.lastAcceptAtMs = now;
    if (state.accepted === state.amount) state.open = false;
    return true;
  }

  /**
   * The invoice's state, reloaded from the journal when `amount` more would not fit but
   * nothing was accepted for longer than a packet can be in flight (see IN_FLIGHT_WINDOW_MS).
   */
  private async currentInvoiceState(
    invoiceId: string,
    amount: bigint,
  ): Promise<InvoiceState | undefined> {
    const state = await this.invoiceState(invoiceId);
    if (
      state &&
      state.accepted + amount > state.amount &&
      this.now() - state.lastAcceptAtMs > IN_FLIGHT_WINDOW_MS
    ) {
      this.invoices.delete(invoiceId);
      return this.invoiceState(invoiceId);
    }
    return state;
  }

  /** The clock of the in-flight window (tests move it). */
  now: () => number = () => Date.now();

  private invoiceState(id: string): Promise<InvoiceState | undefined> {
    const known = this.invoices.get(id);
    if (known) return Promise.resolve(known);
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.invoiceService.forPayment(id).then((found) => {
        this.loading.delete(id);
        if (!found) return undefined;
        const state: InvoiceState = {
          merchantId: found.invoice.merchantId,
          amount: found.invoice.amount,
          accepted: found.received,
          expiresAtMs: found.invoice.expiresAt.getTime(),
          open: found.invoice.status === 'open' && found.received < found.invoice.amount,
          lastAcceptAtMs: this.now(),
        };
        if (this.invoices.size >= MAX_CACHED_INVOICES) {
          this.invoices.delete(this.invoices.keys().next().value as string);
        }
        this.invoices.set(id, state);
        return state;
      });
      this.loading.set(id, loading);
    }
    return loading;
  }
}

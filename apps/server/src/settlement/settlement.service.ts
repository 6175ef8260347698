/**
 * Settlement with peers (RFC 38), the connector's side.
 *
 * Outgoing: when an account's balance (what we owe the peer) passes its settleThreshold,
 * a `settlements` row is written, the amount is moved out of the balance (down to settleTo)
 * and a job asks the account's engine to pay it, with the row id as Idempotency-Key. The
 * engine call is retried with back-off until it answers; only a refusal for good (a 4xx
 * other than 408/409/429) ends the row `failed` and puts the amount back. A job that runs
 * twice, or again after a crash, finds the row's state and the engine's key: nothing is
 * paid twice.
 *
 * Incoming: the engine reports what its ledger confirmed (`POST /accounts/:id/settlements`);
 * the credit is converted to the account's scale, the remainder kept for the next one, and
 * recorded once per Idempotency-Key.
 *
 * Every balance entry names its row in the journal (`settlement:<id>`), and the row says
 * when that entry is durable. A crash between the two is repaired at start.
 */
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IlpError, IlpErrorCode, IlpPacketType, PEER_PROTOCOL_CONDITION } from '@tollgate/ilp-core';
import {
  Quantity,
  SettlementEngineClient,
  SettlementError,
  SettlementErrorCode,
  SettlementHttpError,
  MAX_UINT64,
  convertScale,
} from '@tollgate/settlement';
import { Account } from '../connector/account.entity';
import { ConnectorService } from '../connector/connector.service';
import { JobQueue, PermanentJobError } from '../queue/job-queue';
import { Settlement } from './settlement.entity';
import { SettlementEvents } from './settlement-events';
import { SettlementWebhooks } from './settlement-webhooks';
import { SettlementAdminError, SettlementAdminErrorCode } from './settlement.errors';
import { SettlementRepository } from './settlement.repository';

/** Journal reason of a settlement row's balance entry, and of a refused one's refund. */
export const settlementReason = (id: string): string => `settlement:${id}`;
export const refundReason = (id: string): string => `settlement:${id}:refund`;

/** How long peer.settle messages may take end to end (interledger-rs uses 30 s too). */
const MESSAGE_EXPIRY_MS = 30_000;
/** Engine calls: retried with back-off up to an hour apart for about two days. */
const SEND_ATTEMPTS = 60;
/** Per engine call; the job retries on timeout with the same Idempotency-Key. */
const ENGINE_TIMEOUT_MS = 10_000;
/** After an engine refused a settlement for good, wait before asking it again. */
const REFUSAL_PAUSE_MS = 60_000;
/** Refusals in a row double the pause, up to this. */
const MAX_REFUSAL_PAUSE_MS = 3_600_000;

@Injectable()
export class SettlementService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Settlement');
  private readonly clients = new Map<string, SettlementEngineClient>();
  /** One trigger at a time per account, so two never settle the same balance. */
  private readonly triggers = new Map<string, Promise<void>>();
  private readonly pausedUntil = new Map<string, number>();
  /** A trigger due when an account's pause ends (its hook does not fire again by itself). */
  private readonly wakeups = new Map<string, NodeJS.Timeout>();
  /** How long an account waits after a refusal; tests shorten it. */
  refusalPauseMs = REFUSAL_PAUSE_MS;
  /** Refusals in a row per account, since its last confirmed settlement. */
  private readonly refusals = new Map<string, number>();
  private readonly backgroundTasks = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    private readonly repository: SettlementRepository,
    private readonly connectorService: ConnectorService,
    private readonly queue: JobQueue,
    private readonly events: SettlementEvents,
    private readonly webhooks: SettlementWebhooks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Repair first, then take jobs: a job must never race the repair of its own row.
    await this.recover();
    this.queue.process('settlement.send', ({ settlementId }) => this.send(settlementId));
    this.queue.process('settlement.account', ({ accountId, action, engineUrl }) =>
      this.syncEngineAccount(accountId, action, engineUrl),
    );
    this.connectorService.observe({
      settlementNeeded: (accountId) => this.background(this.trigger(accountId)),
      accountCreated: (account) => {
        if (account.settlementEngineUrl) {
          this.background(
            this.enqueueAccountSync(account.id, 'create', account.settlementEngineUrl),
          );
        }
      },
      accountDeleted: (account) => {
        if (account.settlementEngineUrl) {
          this.background(
            this.enqueueAccountSync(account.id, 'delete', account.settlementEngineUrl),
          );
        }
      },
    });
    this.connectorService.connector.setPeerSettleHandler((accountId, message) =>
      this.relayFromPeer(accountId, message),
    );
    for (const account of await this.repository.allAccounts()) {
      if (account.settlementEngineUrl && account.settleThreshold !== null) {
        this.background(this.trigger(account.id));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.wakeups.values()) clearTimeout(timer);
    this.wakeups.clear();
    await Promise.allSettled([...this.backgroundTasks]);
  }

  // ------------------------------------------------------------------ outgoing

  /**
   * Settles the account down to settleTo if its balance is above settleThreshold and it has
   * an engine. Serialised per account. Resolves once the job is queued.
   */
  trigger(accountId: string): Promise<void> {
    return this.serialized(accountId, () => this.settleIfNeeded(accountId));
  }

  /**
   * Settles `amount` now (admin), whatever the threshold. Checked against the balance in
   * the account's queue, after any trigger before it, so two settlements never both take
   * the same balance and pay the peer more than it is owed.
   */
  settleNow(account: Account, amount: bigint): Promise<Settlement> {
    return this.serialized(account.id, async () => {
      const owed = this.connectorService.connector.getBalance(account.id).balance;
      if (amount <= 0n || amount > owed) {
        throw new SettlementAdminError(
          SettlementAdminErrorCode.InvalidAmount,
          `amount must be positive and at most what the node owes the account (${owed})`,
          [{ field: 'amount', problems: [`must be between 1 and ${owed}`] }],
        );
      }
      return this.startOutgoing(account, amount);
    });
  }

  /** Runs `work` after the account's earlier settlement work, whatever its outcome. */
  private serialized<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.triggers.get(accountId) ?? Promise.resolve();
    const next = previous.then(work);
    // The queue's own link never rejects: a failure belongs to its caller, and an unhandled
    // rejection here would end the process.
    const tracked: Promise<void> = next.then(
      () => undefined,
      () => undefined,
    );
    void tracked.then(() => {
      if (this.triggers.get(accountId) === tracked) this.triggers.delete(accountId);
    });
    this.triggers.set(accountId, tracked);
    return next;
  }

  /**
   * Puts an unfinished outgoing row back on the queue now. A job of its own: the row's usual
   * job may be waiting out a long back-off, and the queue would fold a second one into it.
   * Two attempts at once are safe: they share the row's Idempotency-Key at the engine and
   * its state transitions.
   */
  retry(settlementId: string): Promise<void> {
    return this.enqueueSend(settlementId, `settlement-${settlementId}-retry-${randomUUID()}`);
  }

  private async settleIfNeeded(accountId: string): Promise<void> {
    if (this.stopping) return;
    const pausedUntil = this.pausedUntil.get(accountId) ?? 0;
    if (pausedUntil > Date.now()) {
      // The connector asked once and marked the account pending: nothing would ask again
      // while the balance stays above the threshold, so look again when the pause ends.
      this.wakeAt(accountId, pausedUntil);
      return;
    }
    const account = await this.repository.findAccount(accountId);
    if (!account?.settlementEngineUrl || account.settleThreshold === null) return;
    const balance = this.connectorService.connector.getBalance(accountId).balance;
    if (balance <= account.settleThreshold) return;
    const amount = balance - (account.settleTo ?? 0n);
    if (amount <= 0n) return;
    await this.startOutgoing(account, amount);
  }

  private async startOutgoing(account: Account, amount: bigint): Promise<Settlement> {
    const id = randomUUID();
    const row: Settlement = Object.assign(new Settlement(), {
      id,
      accountId: account.id,
      direction: 'outgoing',
      state: 'queued',
      amount,
      assetCode: account.assetCode,
      assetScale: account.assetScale,
      engineAmount: amount,
      engineScale: account.assetScale,
      idempotencyKey: id,
      attempts: 0,
      balanceApplied: false,
      refundApplied: false,
      lastError: null,
      sentAt: null,
      completedAt: null,
    });
    // Row first, then the balance: a crash in between is repaired by recover().
    await this.repository.insert(row);
    await this.connectorService.connector.adjustBalance(
      account.id,
      -amount,
      settlementReason(id),
      'settlement',
    );
    await this.repository.markBalanceApplied(id);
    row.balanceApplied = true;
    this.logger.log({
      settlementId: id,
      accountId: account.id,
      amount: String(amount),
      msg: 'settlement queued',
    });
    await this.enqueueSend(id);
    this.events.emit(row);
    return row;
  }

  private enqueueSend(id: string, jobId = `settlement-${id}`): Promise<void> {
    return this.queue.add(
      'settlement.send',
      { settlementId: id },
      {
        jobId,
        attempts: SEND_ATTEMPTS,
        backoffMs: 1_000,
        maxBackoffMs: 3_600_000,
      },
    );
  }

  /** The `settlement.send` job: one attempt to have the engine pay a row. */
  async send(settlementId: string): Promise<void> {
    const existing = await this.repository.findById(settlementId);
    if (!existing || existing.direction !== 'outgoing') return;
    if (!existing.balanceApplied) await this.applyBalance(existing);
    const row = await this.repository.claimForSend(settlementId);
    if (!row) return; // confirmed or failed already: a duplicate or late job
    const account = await this.repository.findAccount(row.accountId);
    if (!account?.settlementEngineUrl) {
      await this.fail(row, 'the account has no settlement engine');
      throw new PermanentJobError('the account has no settlement engine');
    }
    try {
      await this.client(account.settlementEngineUrl).settle(
        row.accountId,
        { amount: row.engineAmount, scale: row.engineScale },
        row.idempotencyKey,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof SettlementHttpError && !error.retryable) {
        await this.fail(row, message);
        throw new PermanentJobError(message);
      }
      await this.repository.recordError(row.id, message);
      throw error;
    }
    let afterCommit = () => {};
    const confirmed = await this.repository.inTransaction(async (tx) => {
      const done = await this.repository.markConfirmed(row.id, tx);
      if (done) afterCommit = await this.webhooks.completed(tx, done.id);
      return done;
    });
    afterCommit();
    if (confirmed) {
      this.logger.log({
        settlementId: row.id,
        accountId: row.accountId,
        msg: 'settlement sent by the engine',
      });
      this.refusals.delete(row.accountId);
      this.events.emit(confirmed);
    }
  }

  /** queued/sent → failed, and the amount goes back into the balance, once. */
  private async fail(row: Settlement, reason: string): Promise<void> {
    const failed = await this.repository.markFailed(row.id, reason.slice(0, 1000));
    if (!failed) return;
    this.logger.warn({
      settlementId: row.id,
      accountId: row.accountId,
      reason,
      msg: 'settlement refused; amount restored',
    });
    const refusals = (this.refusals.get(row.accountId) ?? 0) + 1;
    this.refusals.set(row.accountId, refusals);
    const pause = Math.min(
      this.refusalPauseMs * 2 ** Math.min(refusals - 1, 20),
      MAX_REFUSAL_PAUSE_MS,
    );
    this.pausedUntil.set(row.accountId, Date.now() + pause);
    await this.applyRefund(failed);
    this.events.emit(failed);
  }

  // ------------------------------------------------------------------ incoming

  /**
   * The engine says the peer paid us `q` (in the engine's scale). Converted to the account's
   * scale with the leftover kept; once per Idempotency-Key, whatever the engine repeats.
   */
  async credit(accountId: string, q: Quantity, idempotencyKey: string): Promise<void> {
    const account = await this.repository.findAccount(accountId);
    if (!account) {
      throw new SettlementError(SettlementErrorCode.AccountNotFound, `no account ${accountId}`);
    }
    const row: Settlement = Object.assign(new Settlement(), {
      id: randomUUID(),
      accountId,
      direction: 'incoming',
      state: 'confirmed',
      amount: 0n,
      assetCode: account.assetCode,
      assetScale: account.assetScale,
      engineAmount: q.amount,
      engineScale: q.scale,
      idempotencyKey,
      attempts: 1,
      balanceApplied: false,
      refundApplied: false,
      lastError: null,
      sentAt: null,
      completedAt: new Date(),
    });
    let afterCommit = () => {};
    const { settlement, created } = await this.repository.recordIncoming(
      row,
      (stored) => addWithLeftover(q, stored, account.assetScale),
      async (tx, inserted) => {
        afterCommit = await this.webhooks.completed(tx, inserted.id);
      },
    );
    afterCommit();
    if (!settlement.balanceApplied) await this.applyBalance(settlement);
    if (created) {
      this.logger.log({
        settlementId: settlement.id,
        accountId,
        amount: String(settlement.amount),
        msg: 'incoming settlement credited',
      });
      this.events.emit(settlement);
    }
  }

  // ------------------------------------------------------------------ messages

  /** Our engine → the peer's engine: a `peer.settle` Prepare over the account's link. */
  async relayToPeer(accountId: string, message: Uint8Array): Promise<Uint8Array> {
    const account = await this.repository.findAccount(accountId);
    if (!account) {
      throw new SettlementError(SettlementErrorCode.AccountNotFound, `no account ${accountId}`);
    }
    let reply;
    try {
      reply = await this.connectorService.connector.sendPeerRequest(accountId, {
        type: IlpPacketType.Prepare,
        amount: 0n,
        destination: 'peer.settle',
        executionCondition: PEER_PROTOCOL_CONDITION,
        expiresAt: new Date(Date.now() + MESSAGE_EXPIRY_MS),
        data: message,
      });
    } catch (error) {
      throw new SettlementError(
        SettlementErrorCode.PeerUnreachable,
        `peer ${accountId} unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (reply.type === IlpPacketType.Reject) {
      throw new SettlementError(
        SettlementErrorCode.PeerUnreachable,
        `peer ${accountId} refused the message: ${reply.code} ${reply.message}`,
      );
    }
    return reply.data;
  }

  /** The peer's engine → ours: a `peer.settle` Prepare arrived on the account's link. */
  private async relayFromPeer(accountId: string, message: Uint8Array): Promise<Uint8Array> {
    const account = await this.repository.findAccount(accountId);
    if (!account?.settlementEngineUrl) {
      throw new IlpError(IlpErrorCode.F00_BAD_REQUEST, 'no settlement engine for this account');
    }
    try {
      return await this.client(account.settlementEngineUrl).sendMessage(accountId, message);
    } catch (error) {
      if (error instanceof SettlementHttpError && error.status !== undefined && !error.retryable) {
        throw new IlpError(
          IlpErrorCode.F00_BAD_REQUEST,
          `settlement engine refused: ${error.message}`,
        );
      }
      throw new IlpError(
        IlpErrorCode.T00_INTERNAL_ERROR,
        `settlement engine unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  // ------------------------------------------------------------------ engine accounts

  private enqueueAccountSync(accountId: string, action: 'create' | 'delete', engineUrl: string) {
    return this.queue.add(
      'settlement.account',
      { accountId, action, engineUrl },
      {
        jobId: `account-${action}-${accountId}`,
        attempts: SEND_ATTEMPTS,
        backoffMs: 1_000,
        maxBackoffMs: 600_000,
      },
    );
  }

  /** The `settlement.account` job: tell the engine an account was created or deleted. */
  private async syncEngineAccount(
    accountId: string,
    action: 'create' | 'delete',
    engineUrl: string,
  ): Promise<void> {
    const client = this.client(engineUrl);
    try {
      if (action === 'create') await client.createAccount(accountId);
      else await client.deleteAccount(accountId);
    } catch (error) {
      if (error instanceof SettlementHttpError && !error.retryable) {
        throw new PermanentJobError(error.message);
      }
      throw error;
    }
    this.logger.log({ accountId, action, msg: 'settlement engine account synced' });
  }

  // ------------------------------------------------------------------ recovery

  /**
   * At start: complete balance entries a crash left out and put unfinished outgoing rows
   * back on the queue (the in-process queue forgets them; BullMQ dedups by job id).
   */
  private async recover(): Promise<void> {
    for (const row of await this.repository.unapplied()) {
      if (!row.balanceApplied) await this.applyBalance(row);
      if (row.state === 'failed' && !row.refundApplied) await this.applyRefund(row);
    }
    for (const row of await this.repository.open()) {
      if (row.direction === 'outgoing') await this.enqueueSend(row.id);
    }
  }

  /** Applies a row's balance entry unless the journal already has it. */
  private async applyBalance(row: Settlement): Promise<void> {
    const reason = settlementReason(row.id);
    if (row.amount > 0n && !(await this.repository.journalHas(row.accountId, reason))) {
      const delta = row.direction === 'outgoing' ? -row.amount : row.amount;
      await this.connectorService.connector.adjustBalance(
        row.accountId,
        delta,
        reason,
        'settlement',
      );
    }
    await this.repository.markBalanceApplied(row.id);
    row.balanceApplied = true;
  }

  private async applyRefund(row: Settlement): Promise<void> {
    const reason = refundReason(row.id);
    if (row.amount > 0n && !(await this.repository.journalHas(row.accountId, reason))) {
      await this.connectorService.connector.adjustBalance(
        row.accountId,
        row.amount,
        reason,
        'settlement',
      );
    }
    await this.repository.markRefundApplied(row.id);
    row.refundApplied = true;
  }

  // ------------------------------------------------------------------ helpers

  private client(url: string): SettlementEngineClient {
    let client = this.clients.get(url);
    if (!client) {
      client = new SettlementEngineClient(url, { timeoutMs: ENGINE_TIMEOUT_MS });
      this.clients.set(url, client);
    }
    return client;
  }

  private wakeAt(accountId: string, at: number): void {
    if (this.stopping || this.wakeups.has(accountId)) return;
    const timer = setTimeout(
      () => {
        this.wakeups.delete(accountId);
        this.background(this.trigger(accountId));
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
    this.wakeups.set(accountId, timer);
  }

  /** Runs work the caller cannot await (hooks), logging failures, tracked for shutdown. */
  private background(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => {
        if (!this.stopping) this.logger.error({ err: error, msg: 'settlement task failed' });
      })
      .finally(() => this.backgroundTasks.delete(tracked));
    this.backgroundTasks.add(tracked);
  }
}

/**
 * Adds an incoming quantity to the account's stored leftover and converts the sum to the
 * account's scale: the whole units are credited, the rest is kept in the finer of the two
 * scales (FACTS §11.6). Scaling up is exact; nothing is ever rounded away.
 */
export function addWithLeftover(
  q: Quantity,
  stored: { amount: bigint; scale: number } | undefined,
  accountScale: number,
): { credit: bigint; leftover: { amount: bigint; scale: number } } {
  let total = q.amount;
  let scale = q.scale;
  if (stored && stored.amount > 0n) {
    scale = Math.max(q.scale, stored.scale);
    total =
      convertScale(q.amount, q.scale, scale).amount +
      convertScale(stored.amount, stored.scale, scale).amount;
  }
  const { amount: credit, leftover } = convertScale(total, scale, accountScale);
  if (credit > MAX_UINT64) {
    throw new SettlementError(
      SettlementErrorCode.InvalidQuantity,
      `the credit is more than 64 bits in the account's scale (${accountScale})`,
    );
  }
  // A remainder finer than LEFTOVER_DIGITS below the account's unit is worth nothing anyone
  // could ever be paid; keeping it whole at an exotic engine scale (up to 255) would not fit
  // the leftover column and wedge every later credit of the account.
  if (leftover !== 0n && scale - accountScale > LEFTOVER_DIGITS) {
    const kept = convertScale(leftover, scale, accountScale + LEFTOVER_DIGITS).amount;
    return {
      credit,
      leftover: { amount: kept, scale: kept === 0n ? 0 : accountScale + LEFTOVER_DIGITS },
    };
  }
  return { credit, leftover: { amount: leftover, scale: leftover === 0n ? 0 : scale } };
}

/** Decimal places kept below an account's unit in a stored leftover (fits numeric(78,0)). */
const LEFTOVER_DIGITS = 60;

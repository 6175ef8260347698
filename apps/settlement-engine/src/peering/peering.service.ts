/**
 * Learns each account's peer address: asks the peer's engine (through our connector) for a
 * signed proof of its address, and answers the same question from peers. Accounts whose
 * peer cannot be reached yet are retried in the background with back-off; a request coming
 * in from a peer is a hint that it is up, so it brings our own question forward.
 */
import { randomBytes } from 'node:crypto';
import {
  backoffDelay,
  SettlementError,
  SettlementErrorCode,
  type ConnectorSettlementClient,
} from '@tollgate/settlement';
import type { Logger } from 'pino';
import type { EthLedger } from '../chain/eth-ledger';
import { PeerAddressTakenError, type EngineStore } from '../database/engine-store';
import { Worker } from '../worker';
import {
  decodePeerMessage,
  encodePeerMessage,
  PeerMessageError,
  proofText,
  verifyAddressProof,
} from './peer-messages';

export interface PeeringOptions {
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the list of accounts without a peer is looked at when nothing happens. */
  idleMs: number;
  /** Called once an account's peer address is proven (work waiting on it can go ahead). */
  onPeerProven?: (accountId: string) => void;
}

export class PeeringService {
  private readonly worker: Worker;
  /** Per account: failed attempts and when to try again. Lost on restart, which is fine. */
  private readonly retries = new Map<string, { attempts: number; at: number }>();
  private readonly chainId: string;

  constructor(
    private readonly store: EngineStore,
    private readonly ledger: EthLedger,
    private readonly connector: ConnectorSettlementClient,
    private readonly log: Logger,
    private readonly options: PeeringOptions,
  ) {
    this.chainId = ledger.chainId.toString();
    this.worker = new Worker('peering', () => this.round(), log);
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Ask soon for this account's peer address (e.g. just created). */
  requestSoon(accountId: string): void {
    this.retries.delete(accountId);
    this.worker.kick();
  }

  /** Answers a message from the peer's engine; throws SettlementError for what we refuse. */
  async answer(accountId: string, data: Uint8Array): Promise<Uint8Array> {
    const account = await this.store.getAccount(accountId);
    if (!account) throw new SettlementError(SettlementErrorCode.AccountNotFound);
    let message;
    try {
      message = decodePeerMessage(data);
    } catch (error) {
      throw new SettlementError(SettlementErrorCode.InvalidMessage, (error as Error).message);
    }
    if (message.type !== 'address_request') {
      throw new SettlementError(SettlementErrorCode.InvalidMessage, 'unexpected message type');
    }
    if (message.chainId !== this.chainId) {
      throw new SettlementError(
        SettlementErrorCode.InvalidMessage,
        `peer is on chain ${message.chainId}, we are on ${this.chainId}`,
      );
    }
    if (!account.peerAddress) this.requestSoon(accountId);
    const signature = await this.ledger.signMessage(
      proofText(this.chainId, this.ledger.address, message.challenge),
    );
    return encodePeerMessage({
      v: 1,
      type: 'address_proof',
      chainId: this.chainId,
      address: this.ledger.address,
      signature,
    });
  }

  /** One pass over the accounts without a peer address; returns when to look again. */
  private async round(): Promise<number> {
    const now = Date.now();
    let next = this.options.idleMs;
    for (const id of await this.store.accountsAwaitingPeer()) {
      if (this.worker.stopping) break;
      const retry = this.retries.get(id);
      if (retry && retry.at > now) {
        next = Math.min(next, retry.at - now);
        continue;
      }
      try {
        await this.handshake(id);
        this.retries.delete(id);
      } catch (error) {
        const attempts = (retry?.attempts ?? 0) + 1;
        const delay = backoffDelay(attempts, this.options.retryBaseMs, this.options.retryMaxMs);
        this.retries.set(id, { attempts, at: Date.now() + delay });
        next = Math.min(next, delay);
        this.log.warn(
          { accountId: id, attempts, retryInMs: delay, err: (error as Error).message },
          'peer address handshake failed; will retry',
        );
      }
    }
    return next;
  }

  private async handshake(accountId: string): Promise<void> {
    const challenge = randomBytes(32).toString('hex');
    const reply = await this.connector.sendMessage(
      accountId,
      encodePeerMessage({ v: 1, type: 'address_request', chainId: this.chainId, challenge }),
    );
    let address: string;
    try {
      address = verifyAddressProof(decodePeerMessage(reply), this.chainId, challenge);
    } catch (error) {
      if (error instanceof PeerMessageError)
        throw new Error(`bad peer reply: ${error.message}`, { cause: error });
      throw error;
    }
    if (address === this.ledger.address) {
      throw new Error('peer claims our own address; two engines must not share a wallet');
    }
    try {
      if (await this.store.setPeerAddress(accountId, address)) {
        this.log.info({ accountId, peerAddress: address }, 'peer address proven');
        this.options.onPeerProven?.(accountId);
      }
    } catch (error) {
      if (error instanceof PeerAddressTakenError) throw new Error(error.message, { cause: error });
      throw error;
    }
  }
}

/**
 * Watches the chain for ETH sent to our address: polls new blocks, waits until a block has
 * the configured confirmations, and stores every successful transfer to us together with
 * the new scan position in one transaction, so a restart neither skips nor repeats a block.
 * Matching a transfer to an account (by its sender) happens when it is reported, so money
 * sent before we learned the peer's address is not lost.
 */
import type { Logger } from 'pino';
import type { EthLedger } from '../chain/eth-ledger';
import type { EngineStore, IncomingTransfer } from '../database/engine-store';
import { Worker } from '../worker';

export interface WatcherOptions {
  confirmations: number;
  pollIntervalMs: number;
  /** Blocks read per round at most, so a long catch-up keeps saving progress. */
  batchBlocks?: number;
}

export class IncomingWatcher {
  private readonly worker: Worker;

  constructor(
    private readonly store: EngineStore,
    private readonly ledger: EthLedger,
    private readonly log: Logger,
    private readonly options: WatcherOptions,
    private readonly onTransfers: () => void,
  ) {
    this.worker = new Worker('incoming', () => this.round(), log, options.pollIntervalMs);
  }

  /**
   * Binds the database to this chain and wallet on first start (scanning from the current
   * head: nothing before this engine existed can be a settlement to it) and refuses a
   * database that belongs to another.
   */
  async init(): Promise<void> {
    const chainId = this.ledger.chainId.toString();
    const head = await this.ledger.head();
    await this.store.initChainState({
      chainId,
      address: this.ledger.address,
      lastScannedBlock: head,
    });
    const state = (await this.store.getChainState())!;
    if (state.chainId !== chainId || state.address !== this.ledger.address) {
      throw new Error(
        `this engine database belongs to chain ${state.chainId} and address ${state.address}, ` +
          `not chain ${chainId} and address ${this.ledger.address}`,
      );
    }
    if (state.lastScannedBlock > head) {
      // A dev chain started afresh: its blocks are new, so scan them from the start.
      this.log.warn(
        { lastScannedBlock: state.lastScannedBlock, head },
        'chain is behind our scan position; it was reset',
      );
      await this.store.saveScan(0, []);
    }
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  kick(): void {
    this.worker.kick();
  }

  private async round(): Promise<number> {
    const state = (await this.store.getChainState())!;
    const head = await this.ledger.head();
    const confirmedTip = head - (this.options.confirmations - 1);
    const from = state.lastScannedBlock + 1;
    const to = Math.min(confirmedTip, state.lastScannedBlock + (this.options.batchBlocks ?? 100));
    if (to < from) return this.options.pollIntervalMs;
    const transfers: IncomingTransfer[] = [];
    for (let block = from; block <= to && !this.worker.stopping; block++) {
      transfers.push(...(await this.ledger.transfersTo(block)));
    }
    if (this.worker.stopping) return 0;
    await this.store.saveScan(to, transfers);
    for (const t of transfers) {
      this.log.info(
        { txHash: t.txHash, from: t.from, wei: t.wei.toString(), block: t.blockNumber },
        'incoming transfer confirmed',
      );
    }
    if (transfers.length > 0) this.onTransfers();
    return to < confirmedTip ? 0 : this.options.pollIntervalMs;
  }
}

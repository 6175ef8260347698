/**
 * The engine's view of the Ethereum chain through ethers v6: sign ETH transfers (without
 * sending, so the hash is known and stored first), broadcast them, find their receipts,
 * and list the plain ETH transfers to our address in a block.
 *
 * Only top-level transactions are seen: ETH moved to us by a contract's internal call is
 * not detected (peers pay from their engine's externally owned account).
 */
import { getAddress, JsonRpcProvider, Network, Transaction, Wallet } from 'ethers';
import type { IncomingTransfer } from '../database/engine-store';

/** Gas of a plain ETH transfer to an externally owned account. */
const TRANSFER_GAS = 21_000n;

export interface SignedTransfer {
  hash: string;
  raw: string;
}

export interface TransferReceipt {
  blockNumber: number;
  success: boolean;
}

export async function fetchChainId(rpcUrl: string): Promise<bigint> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { result?: string; error?: { message?: string } };
  if (typeof body.result !== 'string') {
    throw new Error(`eth_chainId failed: ${body.error?.message ?? `HTTP ${response.status}`}`);
  }
  return BigInt(body.result);
}

export class EthLedger {
  readonly address: string;
  private readonly wallet: Wallet;

  private constructor(
    readonly provider: JsonRpcProvider,
    privateKey: string,
    readonly chainId: bigint,
  ) {
    this.wallet = new Wallet(privateKey, provider);
    this.address = this.wallet.address;
  }

  static async connect(rpcUrl: string, privateKey: string): Promise<EthLedger> {
    const chainId = await fetchChainId(rpcUrl);
    // A static network: ethers never re-detects it, and never spams retries when the node
    // is briefly away. No response cache: ethers otherwise replays an identical call's
    // answer for 250 ms, and a stale "no receipt yet" next to a fresh nonce would make a
    // mined transfer look replaced, and be paid again.
    const provider = new JsonRpcProvider(rpcUrl, undefined, {
      staticNetwork: Network.from(chainId),
      batchMaxCount: 1,
      cacheTimeout: -1,
    });
    return new EthLedger(provider, privateKey, chainId);
  }

  /** Signs with the wallet's key; proves to a peer that we control {@link address}. */
  signMessage(text: string): Promise<string> {
    return this.wallet.signMessage(text);
  }

  async signTransfer(to: string, wei: bigint, nonce: number): Promise<SignedTransfer> {
    const fees = await this.provider.getFeeData();
    const tx: Parameters<Wallet['signTransaction']>[0] = {
      to: getAddress(to),
      value: wei,
      nonce,
      chainId: this.chainId,
      gasLimit: TRANSFER_GAS,
    };
    if (fees.maxFeePerGas !== null && fees.maxPriorityFeePerGas !== null) {
      tx.type = 2;
      // Room for the base fee to double before the transaction would be stuck.
      tx.maxFeePerGas = fees.maxFeePerGas * 2n;
      tx.maxPriorityFeePerGas = fees.maxPriorityFeePerGas;
    } else {
      tx.type = 0;
      tx.gasPrice = fees.gasPrice ?? 1_000_000_000n;
    }
    const raw = await this.wallet.signTransaction(tx);
    return { hash: Transaction.from(raw).hash!, raw };
  }

  /**
   * Sends a signed transaction. A node that already has it (or mined it) answers with an
   * error; that is success for us, which the receipt lookup then confirms.
   */
  async broadcast(raw: string): Promise<void> {
    try {
      await this.provider.broadcastTransaction(raw);
    } catch (error) {
      const text = errorText(error);
      if (/already known|already imported|nonce too low|known transaction/i.test(text)) return;
      throw error;
    }
  }

  async receipt(hash: string): Promise<TransferReceipt | undefined> {
    const receipt = await this.provider.getTransactionReceipt(hash);
    if (!receipt) return undefined;
    return { blockNumber: receipt.blockNumber, success: receipt.status === 1 };
  }

  /** Whether the node knows the transaction at all (pending or mined). */
  async isKnown(hash: string): Promise<boolean> {
    return (await this.provider.getTransaction(hash)) !== null;
  }

  /** Transactions of ours mined so far (the next nonce the chain expects). */
  minedNonce(): Promise<number> {
    return this.provider.getTransactionCount(this.address, 'latest');
  }

  pendingNonce(): Promise<number> {
    return this.provider.getTransactionCount(this.address, 'pending');
  }

  head(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  /** Successful plain ETH transfers to our address in block `number`. */
  async transfersTo(number: number): Promise<IncomingTransfer[]> {
    const block = await this.provider.getBlock(number, true);
    if (!block) throw new Error(`block ${number} not available`);
    const found: IncomingTransfer[] = [];
    for (const tx of block.prefetchedTransactions) {
      if (!tx.to || tx.to.toLowerCase() !== this.address.toLowerCase() || tx.value <= 0n) continue;
      const receipt = await this.provider.getTransactionReceipt(tx.hash);
      if (receipt?.status !== 1) continue;
      found.push({
        txHash: tx.hash,
        from: getAddress(tx.from),
        wei: tx.value,
        blockNumber: number,
      });
    }
    return found;
  }

  destroy(): void {
    this.provider.destroy();
  }
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as {
      message?: unknown;
      shortMessage?: unknown;
      info?: unknown;
      error?: unknown;
    };
    if (typeof e.message === 'string') parts.push(e.message);
    if (typeof e.shortMessage === 'string') parts.push(e.shortMessage);
    current = e.error ?? (e.info as { error?: unknown } | undefined)?.error;
  }
  return parts.join(' | ');
}

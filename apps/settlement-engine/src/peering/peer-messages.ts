/**
 * The messages two Tollgate Ethereum engines exchange through their connectors (RFC 38
 * `/accounts/:id/messages`, relayed over ILP `peer.settle`). UTF-8 JSON, strictly checked:
 * anything else is not from a peer engine and is refused.
 *
 * One round trip teaches the asker the peer's address, with proof:
 *   asker → `{ v: 1, type: "address_request", chainId, challenge }` (32 random bytes, hex)
 *   peer  → `{ v: 1, type: "address_proof", chainId, address, signature }`
 * where `signature` is the peer wallet's EIP-191 signature of {@link proofText}. The fresh
 * challenge makes an old proof useless; the chain id in the signed text keeps a proof for
 * one chain from being used on another. Each engine asks on its own account creation, so
 * both learn each other's address.
 */
import { getAddress, isAddress, verifyMessage } from 'ethers';

export const PROTOCOL_VERSION = 1;

export interface AddressRequest {
  v: 1;
  type: 'address_request';
  chainId: string;
  challenge: string;
}

export interface AddressProof {
  v: 1;
  type: 'address_proof';
  chainId: string;
  address: string;
  signature: string;
}

export type PeerMessage = AddressRequest | AddressProof;

export class PeerMessageError extends Error {
  override readonly name = 'PeerMessageError';
}

const CHAIN_ID = /^[1-9][0-9]{0,30}$/;
const CHALLENGE = /^[0-9a-f]{64}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const MAX_MESSAGE = 4096;

export function proofText(chainId: string, address: string, challenge: string): string {
  return [
    'Tollgate settlement engine: address proof',
    `chain: ${chainId}`,
    `address: ${getAddress(address)}`,
    `challenge: ${challenge}`,
  ].join('\n');
}

export function encodePeerMessage(message: PeerMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}

function exactKeys(value: Record<string, unknown>, keys: string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => own.includes(key));
}

/** Throws {@link PeerMessageError} for anything a peer engine would not send. */
export function decodePeerMessage(bytes: Uint8Array): PeerMessage {
  if (bytes.byteLength === 0 || bytes.byteLength > MAX_MESSAGE) {
    throw new PeerMessageError('message must be 1 to 4096 bytes of JSON');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new PeerMessageError('message is not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PeerMessageError('message must be a JSON object');
  }
  const m = value as Record<string, unknown>;
  if (m.v !== PROTOCOL_VERSION) throw new PeerMessageError('unsupported message version');
  if (typeof m.chainId !== 'string' || !CHAIN_ID.test(m.chainId)) {
    throw new PeerMessageError('chainId must be a decimal string');
  }
  if (m.type === 'address_request') {
    if (!exactKeys(m, ['v', 'type', 'chainId', 'challenge'])) {
      throw new PeerMessageError('address_request has unexpected fields');
    }
    if (typeof m.challenge !== 'string' || !CHALLENGE.test(m.challenge)) {
      throw new PeerMessageError('challenge must be 32 bytes of lower-case hex');
    }
    return { v: 1, type: 'address_request', chainId: m.chainId, challenge: m.challenge };
  }
  if (m.type === 'address_proof') {
    if (!exactKeys(m, ['v', 'type', 'chainId', 'address', 'signature'])) {
      throw new PeerMessageError('address_proof has unexpected fields');
    }
    if (typeof m.address !== 'string' || !isAddress(m.address)) {
      throw new PeerMessageError('address must be an Ethereum address');
    }
    if (typeof m.signature !== 'string' || !SIGNATURE.test(m.signature)) {
      throw new PeerMessageError('signature must be 65 bytes of hex');
    }
    return {
      v: 1,
      type: 'address_proof',
      chainId: m.chainId,
      address: getAddress(m.address),
      signature: m.signature,
    };
  }
  throw new PeerMessageError('unknown message type');
}

/**
 * Checks a proof answering our `challenge`: same chain, and signed by the key of the
 * address it claims. Returns the checksummed address.
 */
export function verifyAddressProof(
  reply: PeerMessage,
  expectedChainId: string,
  challenge: string,
): string {
  if (reply.type !== 'address_proof') throw new PeerMessageError('expected an address_proof');
  if (reply.chainId !== expectedChainId) {
    throw new PeerMessageError(`peer is on chain ${reply.chainId}, we are on ${expectedChainId}`);
  }
  let signer: string;
  try {
    signer = verifyMessage(proofText(reply.chainId, reply.address, challenge), reply.signature);
  } catch {
    throw new PeerMessageError('signature does not verify');
  }
  if (getAddress(signer) !== reply.address) {
    throw new PeerMessageError('signature is not from the claimed address');
  }
  return reply.address;
}

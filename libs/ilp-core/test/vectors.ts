/**
 * Test-only loader for the protocol vectors: the repo's copy in `protocol/vectors/`
 * (kept identical to the team's shared set by `protocol/vectors.spec.ts`), or
 * `TOLLGATE_VECTORS_DIR` when set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CANDIDATES = [
  process.env.TOLLGATE_VECTORS_DIR,
  resolve(__dirname, '../../../protocol/vectors'),
].filter((dir): dir is string => typeof dir === 'string' && dir.length > 0);

export const VECTORS_DIR =
  CANDIDATES.find((dir) => existsSync(join(dir, 'oer.json'))) ?? CANDIDATES[0];

export function loadVectors<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as T;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function unhex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function unbase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Packet JSON as written in the vector files (binary fields hex or base64). */
export interface PacketJson {
  amount?: string;
  expiresAt?: string;
  executionCondition?: string;
  destination?: string;
  data?: string;
  fulfillment?: string;
  code?: string;
  triggeredBy?: string;
  message?: string;
}

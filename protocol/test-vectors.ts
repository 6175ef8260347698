/**
 * Test-only access to the protocol vectors, for every library's specs: the repo's copy in
 * `protocol/vectors/` (kept identical to the team's shared set by `vectors.spec.ts`), or
 * `TOLLGATE_VECTORS_DIR` when set. Plus the byte helpers the vector files need.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const VECTORS_DIR = process.env.TOLLGATE_VECTORS_DIR || resolve(__dirname, 'vectors');

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

/** Test-only: the shared vector loader and byte helpers (see protocol/test-vectors.ts). */
export { hex, loadVectors, unbase64, unhex, VECTORS_DIR } from '../../../protocol/test-vectors';

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Test-only: the shared vector loader, plus how ILP packet vectors are written. */
export { hex, loadVectors, unbase64, unhex, VECTORS_DIR } from '../../../protocol/test-vectors';

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

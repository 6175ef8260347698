/**
 * Peer protocols (ILDCP, CCP, peer.settle) use a fixed, public fulfillment of 32 zero bytes
 * and its condition SHA-256(0^32). Exported arrays are copies: the library compares against
 * its own private instances, so mutating an export cannot weaken a check.
 */
import { fromHex } from '../encoding/hex';

const FULFILLMENT_HEX = '00'.repeat(32);
const CONDITION_HEX = '66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925';

/** Private instances used by the library's own checks. */
export const PEER_FULFILLMENT_INTERNAL = fromHex(FULFILLMENT_HEX);
export const PEER_CONDITION_INTERNAL = fromHex(CONDITION_HEX);

/** 32 zero bytes. */
export const PEER_PROTOCOL_FULFILLMENT: Uint8Array = fromHex(FULFILLMENT_HEX);
/** SHA-256 of 32 zero bytes = 66687aad…0d5f2925. */
export const PEER_PROTOCOL_CONDITION: Uint8Array = fromHex(CONDITION_HEX);

/**
 * Node-only entry of `@tollgate/stream`: the synchronous `node:crypto` implementation of
 * the crypto adapter (several times faster per packet than Web Crypto in Node). Browser
 * code never imports this file; everything else is in `./index`.
 */
import { NodeStreamCrypto } from './crypto/node-crypto';

export { NodeStreamCrypto };

/** One shared instance (the adapter is stateless). */
export const nodeStreamCrypto = new NodeStreamCrypto();

/** Both crypto adapters, for tests that must pass with each. */
import { NodeStreamCrypto } from '../src/crypto/node-crypto';
import { StreamCrypto } from '../src/crypto/stream-crypto';
import { WebStreamCrypto } from '../src/crypto/web-crypto';

export const CRYPTOS: [string, StreamCrypto][] = [
  ['web-crypto', new WebStreamCrypto()],
  ['node-crypto', new NodeStreamCrypto()],
];

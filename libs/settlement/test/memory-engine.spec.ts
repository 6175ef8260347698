/** The conformance suite against the library's in-memory engine. */
import { expect } from 'vitest';
import { describeEngineConformance } from './engine-conformance';
import { startMemoryEngine } from './memory-engine';

describeEngineConformance('in-memory engine on createEngineApiHandler', async () => {
  const engine = await startMemoryEngine();
  return {
    url: engine.url,
    async validMessage() {
      return {
        body: new TextEncoder().encode('ping:hello'),
        checkReply(reply) {
          expect(Buffer.from(reply).toString('utf8')).toBe('pong:hello');
        },
      };
    },
    close: engine.close,
  };
});

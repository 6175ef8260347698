import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deserializeIlpReply, IlpError, IlpErrorCode } from '@tollgate/ilp-core';
import { createStaticAuthenticator, IlpHttpHandler, MAX_PREPARE_SIZE } from '@tollgate/ilp-http';
import { fulfillBytes, NODE_ADDRESS, prepareBytes, rejectBytes } from '../test/helpers';

const TOKEN = 't0ken';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream' };

// handlePacket misbehaves in every way it can, chosen by the packet's first data byte
const handler = new IlpHttpHandler({
  authenticate: createStaticAuthenticator([{ accountId: 'a', token: TOKEN }]),
  nodeAddress: NODE_ADDRESS,
  handlePacket: async (_account, _bytes, prepare) => {
    switch ((prepare.data[0] ?? 0) % 7) {
      case 0:
        return fulfillBytes();
      case 1:
        return rejectBytes();
      case 2:
        throw new Error('boom');
      case 3:
        throw new IlpError(IlpErrorCode.F99_APPLICATION_ERROR, 'app');
      case 4:
        return prepare.data; // not a reply at all
      case 5:
        return new Uint8Array([13, ...prepare.data]); // looks like a Fulfill, rarely is
      default:
        return new Uint8Array([14, ...prepare.data.subarray(1)]);
    }
  },
});

/** 400 (or 413), or 200 with a body that decodes as a Fulfill or Reject. */
async function checkAnswer(body: Uint8Array): Promise<void> {
  const res = await handler.handle({ method: 'POST', headers, body });
  if (res.status === 200) {
    expect(() => deserializeIlpReply(res.body)).not.toThrow();
  } else {
    expect(res.status).toBe(body.length > MAX_PREPARE_SIZE ? 413 : 400);
  }
}

const validPrepare = fc
  .record({
    amount: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    data: fc.uint8Array({ maxLength: 300 }),
    destination: fc.stringMatching(/^(g|test|private|example)\.[a-z0-9_~-]{1,40}$/),
  })
  .map((fields) => prepareBytes(fields));

describe('IlpHttpHandler with arbitrary bodies', () => {
  it('random bytes never crash it: 400 or 200 with a valid reply', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          // bytes that at least start like a Prepare, so the decoder gets past the type byte
          fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array([12, ...b])),
          fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array([12, b.length, ...b])),
        ),
        checkAnswer,
      ),
      { numRuns: 1_000 },
    );
  });

  it('mutated valid Prepares (flipped, cut, extended) never crash it', async () => {
    await fc.assert(
      fc.asyncProperty(
        validPrepare,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('flip', 'cut', 'extend', 'none'),
        async (prepare, at, value, how) => {
          const i = at % prepare.length;
          let body: Uint8Array = Uint8Array.from(prepare);
          if (how === 'flip') body[i] = value;
          if (how === 'cut') body = body.subarray(0, i);
          if (how === 'extend') body = new Uint8Array([...body, value]);
          await checkAnswer(body);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('every valid Prepare is answered with 200', async () => {
    await fc.assert(
      fc.asyncProperty(validPrepare, async (body) => {
        const res = await handler.handle({ method: 'POST', headers, body });
        expect(res.status).toBe(200);
        deserializeIlpReply(res.body);
      }),
      { numRuns: 300 },
    );
  });
});

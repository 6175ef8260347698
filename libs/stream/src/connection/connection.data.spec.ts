/**
 * Data over an in-memory network: several streams both ways, reordering, flow control that
 * holds a writer back until the reader reads, and a misbehaving peer that ignores the window.
 */
import { IlpPacketType, type IlpPrepare } from '@tollgate/ilp-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createPair, Pair, PairOptions } from '../../test/network';
import { StreamKeys } from '../crypto/stream-keys';
import { NodeStreamCrypto } from '../crypto/node-crypto';
import { ErrorCode, FrameType } from '../packet/frames';
import { deserializeStreamPacket, serializeStreamPacket } from '../packet/stream-packet';
import { ConnectionStream } from './connection-stream';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

async function setup(options: PairOptions = {}): Promise<Pair> {
  pair = await createPair(options);
  return pair;
}

function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Server side: echo every stream's bytes back on the same stream, then end it. */
function echoServer(): PairOptions['server'] {
  return {
    onConnection: (connection) => {
      connection.on('stream', (stream: ConnectionStream) => {
        stream.on('data', (chunk) => stream.write(chunk));
        stream.on('end', () => undefined);
      });
    },
  };
}

describe('data streams', () => {
  it('carries data both ways on several streams, byte for byte', async () => {
    const p = await setup({ server: echoServer() });
    await p.client.connect();
    const sizes = [10, 70_000, 150_000];
    const streams = sizes.map(() => p.client.createStream());
    const echoes = streams.map((stream) => {
      const parts: Uint8Array[] = [];
      stream.on('data', (chunk) => parts.push(chunk));
      return parts;
    });
    streams.forEach((stream, i) => stream.write(pattern(sizes[i], i + 1)));
    await waitFor(() => echoes.every((parts, i) => total(parts) >= sizes[i]));
    echoes.forEach((parts, i) => expect(same(concat(parts), pattern(sizes[i], i + 1))).toBe(true));
    expect(streams.map((s) => s.id)).toEqual([1, 3, 5]);
  });

  it('reassembles data reordered by the network', async () => {
    const received = new Map<number, Uint8Array[]>();
    const p = await setup({
      clientPath: { delayMs: () => Math.floor(Math.random() * 6) },
      client: { maxInFlight: 8 },
      server: {
        connectionOptions: { streamWindow: 1_000_000, connectionWindow: 4_000_000 },
        onConnection: (connection) => {
          connection.on('stream', (stream: ConnectionStream) => {
            const parts: Uint8Array[] = [];
            received.set(stream.id, parts);
            stream.on('data', (chunk) => parts.push(chunk));
          });
        },
      },
    });
    await p.client.connect();
    const a = p.client.createStream();
    const b = p.client.createStream();
    // large window on the server: tell the client before writing so packets overlap
    a.write(pattern(200_000, 7));
    b.write(pattern(90_000, 8));
    await waitFor(() => total(received.get(1)) === 200_000 && total(received.get(3)) === 90_000);
    expect(same(concat(received.get(1) ?? []), pattern(200_000, 7))).toBe(true);
    expect(same(concat(received.get(3) ?? []), pattern(90_000, 8))).toBe(true);
  });

  it('a stream end delivers everything before the end event; readAll collects it', async () => {
    let collected: Promise<Uint8Array> | undefined;
    const p = await setup({
      server: {
        onConnection: (connection) => {
          connection.on('stream', (stream: ConnectionStream) => {
            collected = stream.readAll();
          });
        },
      },
    });
    await p.client.connect();
    const stream = p.client.createStream();
    stream.write(pattern(50_000, 3));
    await stream.end();
    expect(stream.isClosed).toBe(true);
    expect(same(await (collected as Promise<Uint8Array>), pattern(50_000, 3))).toBe(true);
    expect(() => stream.write(new Uint8Array(1))).toThrow(/closed/);
  });

  it("holds the writer to the reader's window until the reader reads", async () => {
    let serverStream: ConnectionStream | undefined;
    const p = await setup({
      server: {
        connectionOptions: { streamWindow: 16_384, connectionWindow: 65_534 },
        onConnection: (connection) => {
          connection.on('stream', (stream: ConnectionStream) => (serverStream = stream));
        },
      },
    });
    await p.client.connect();
    const stream = p.client.createStream();
    stream.write(pattern(100_000, 9));
    await waitFor(() => serverStream !== undefined);
    await sleep(50);
    const s = serverStream as ConnectionStream;
    // nobody reads on the server: at most the window arrived, the rest waits
    const first = s.read() as Uint8Array;
    expect(first.length).toBeLessThanOrEqual(16_384);
    expect(first.length).toBeGreaterThan(0);
    const parts = [first];
    while (total(parts) < 100_000) {
      await sleep(5);
      const next = s.read();
      if (next) {
        expect(next.length).toBeLessThanOrEqual(16_384);
        parts.push(next);
      }
    }
    expect(same(concat(parts), pattern(100_000, 9))).toBe(true);
    expect(p.client.isClosed).toBe(false);
  });

  it('closes with FlowControlError when a peer ignores the window', async () => {
    const crypto = new NodeStreamCrypto();
    const p = await setup({ crypto });
    await p.client.connect();
    const sc = await p.serverConnection();
    const keys = await StreamKeys.fromSharedSecret(crypto, p.sharedSecret);
    const prepare = async (
      sequence: bigint,
      frames: Parameters<typeof serializeStreamPacket>[0]['frames'],
    ): Promise<IlpPrepare> => {
      const data = await keys.encrypt(
        serializeStreamPacket({
          sequence,
          ilpPacketType: IlpPacketType.Prepare,
          prepareAmount: 0n,
          frames,
        }),
      );
      const { condition } = await keys.fulfillmentAndCondition(data);
      return {
        type: IlpPacketType.Prepare,
        amount: 0n,
        expiresAt: new Date(Date.now() + 10_000),
        executionCondition: condition,
        destination: p.destinationAddress,
        data,
      };
    };
    const reply = await p.server.handlePrepare(
      await prepare(1_000n, [
        { type: FrameType.StreamData, streamId: 1n, offset: 65_000n, data: new Uint8Array(1_500) },
      ]),
    );
    expect(reply.type).toBe(IlpPacketType.Reject);
    if (reply.type !== IlpPacketType.Reject) return;
    expect(reply.code).toBe('F99');
    const answer = deserializeStreamPacket((await keys.decrypt(reply.data)) as Uint8Array);
    expect(answer.frames).toContainEqual(
      expect.objectContaining({
        type: FrameType.ConnectionClose,
        errorCode: ErrorCode.FlowControlError,
      }),
    );
    expect(sc.isClosed).toBe(true);
    expect(sc.error).toMatchObject({ code: ErrorCode.FlowControlError });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await sleep(2);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Byte equality without vitest's slow deep diff of large arrays. */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function total(parts: Uint8Array[] | undefined): number {
  return (parts ?? []).reduce((n, p) => n + p.length, 0);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(total(parts));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

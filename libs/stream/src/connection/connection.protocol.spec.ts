/**
 * Receiver rules against hand-made packets (replays, probes, bad data, stream ids, unknown
 * frames, splits) and connection / stream lifecycle between two of our connections.
 */
import { IlpPacketType, type IlpReply } from '@tollgate/ilp-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createPair, Pair } from '../../test/network';
import { rawPrepare, readReply } from '../../test/raw';
import { NodeStreamCrypto } from '../crypto/node-crypto';
import { StreamKeys } from '../crypto/stream-keys';
import { StreamProtocolError } from '../errors';
import { ErrorCode, Frame, FrameType } from '../packet/frames';
import { StreamConnection } from './connection';
import { ConnectionStream } from './connection-stream';

const crypto = new NodeStreamCrypto();
const ADDRESS = 'test.receiver.conn';

let receiver: StreamConnection | undefined;
let pair: Pair | undefined;
afterEach(async () => {
  await receiver?.destroy();
  await pair?.close();
  receiver = undefined;
  pair = undefined;
});

/** A server-side connection we talk to with raw packets. */
async function rawReceiver(options: Partial<Parameters<typeof StreamConnection.create>[0]> = {}) {
  const secret = crypto.randomBytes(32);
  receiver = await StreamConnection.create({
    crypto,
    sharedSecret: secret,
    isServer: true,
    sourceAddress: ADDRESS,
    assetCode: 'XRP',
    assetScale: 9,
    idleTimeoutMs: 0,
    ...options,
  });
  const keys = await StreamKeys.fromSharedSecret(crypto, secret);
  const r = receiver;
  const send = async (options: Parameters<typeof rawPrepare>[2]) => {
    const reply = await r.handlePrepare(await rawPrepare(keys, ADDRESS, options));
    return { reply, packet: await readReply(keys, reply) };
  };
  return { connection: r, keys, send };
}

const money = (streamId: bigint, shares = 1n): Frame => ({
  type: FrameType.StreamMoney,
  streamId,
  shares,
});

function codeOf(reply: IlpReply): string {
  return reply.type === IlpPacketType.Reject ? reply.code : 'fulfill';
}

describe('receiving', () => {
  it('never acts on the same Prepare twice (replay), even concurrently', async () => {
    const { connection, keys } = await rawReceiver();
    const prepare = await rawPrepare(keys, ADDRESS, {
      sequence: 1n,
      amount: 500n,
      frames: [money(1n)],
    });
    const first = await connection.handlePrepare(prepare);
    const second = await connection.handlePrepare(prepare);
    expect(codeOf(first)).toBe('fulfill');
    expect(codeOf(second)).toBe('F99');
    const again = await rawPrepare(keys, ADDRESS, {
      sequence: 2n,
      amount: 7n,
      frames: [money(1n)],
    });
    const replies = await Promise.all([1, 2, 3].map(() => connection.handlePrepare(again)));
    expect(replies.filter((r) => r.type === IlpPacketType.Fulfill)).toHaveLength(1);
    expect(connection.totalReceived).toBe(507n);
    expect(connection.getStream(1)?.totalReceived).toBe(507n);
  });

  it('refuses sequences older than the replay window', async () => {
    const { send } = await rawReceiver();
    expect(codeOf((await send({ sequence: 5_000n })).reply)).toBe('fulfill');
    expect(codeOf((await send({ sequence: 4_500n })).reply)).toBe('fulfill');
    expect(codeOf((await send({ sequence: 3_000n })).reply)).toBe('F99');
  });

  it('answers a probe with F99 carrying what arrived, and credits nothing', async () => {
    const { connection, send } = await rawReceiver();
    const { reply, packet } = await send({
      sequence: 1n,
      amount: 123_456n,
      unfulfillable: true,
      frames: [money(1n)],
    });
    expect(codeOf(reply)).toBe('F99');
    expect(packet).toMatchObject({ sequence: 1n, ilpPacketType: 14, prepareAmount: 123_456n });
    expect(connection.totalReceived).toBe(0n);
  });

  it("refuses an amount below the sender's minimum, saying what arrived", async () => {
    const { send } = await rawReceiver();
    const { reply, packet } = await send({
      sequence: 1n,
      amount: 98n,
      prepareAmount: 99n,
      frames: [money(1n)],
    });
    expect(codeOf(reply)).toBe('F99');
    expect(packet?.prepareAmount).toBe(98n);
  });

  it('F06 for data that does not decrypt or parse, and for a wrong ILP packet type', async () => {
    const { send, keys } = await rawReceiver();
    const garbage = await send({ sequence: 1n, data: crypto.randomBytes(60) });
    expect(codeOf(garbage.reply)).toBe('F06');
    expect(garbage.reply.data.length).toBe(0);
    // decrypts, but the frame's length runs past the end of the packet
    const truncated = await send({
      sequence: 2n,
      data: await keys.encrypt(new Uint8Array([1, 12, 1, 2, 1, 0, 1, 1, 0x14, 0x7f, 1])),
    });
    expect(codeOf(truncated.reply)).toBe('F06');
    const wrongType = await send({ sequence: 3n, ilpPacketType: IlpPacketType.Fulfill });
    expect(codeOf(wrongType.reply)).toBe('F06');
  });

  it('skips unknown frame types', async () => {
    const { connection, keys } = await rawReceiver();
    // StreamMoney for stream 1 followed by an unknown frame 0x30: encode by hand
    const plaintext = new Uint8Array([
      1, 12, 1, 1, 1, 0, 1, 2, 0x11, 4, 1, 1, 1, 1, 0x30, 3, 0xaa, 0xbb, 0xcc,
    ]);
    const data = await keys.encrypt(plaintext);
    const { condition } = await keys.fulfillmentAndCondition(data);
    const reply = await connection.handlePrepare({
      type: IlpPacketType.Prepare,
      amount: 10n,
      expiresAt: new Date(Date.now() + 10_000),
      executionCondition: condition,
      destination: ADDRESS,
      data,
    });
    expect(codeOf(reply)).toBe('fulfill');
    expect(connection.totalReceived).toBe(10n);
  });

  it('splits by shares and gives the remainder to the lowest stream', async () => {
    const { connection, send } = await rawReceiver();
    const { reply } = await send({
      sequence: 1n,
      amount: 100n,
      frames: [money(5n, 1n), money(1n, 1n), money(3n, 1n)],
    });
    expect(codeOf(reply)).toBe('fulfill');
    expect(connection.getStream(1)?.totalReceived).toBe(34n);
    expect(connection.getStream(3)?.totalReceived).toBe(33n);
    expect(connection.getStream(5)?.totalReceived).toBe(33n);
  });

  it('refuses money with no stream to take it, and money for a closed stream', async () => {
    const { connection, send } = await rawReceiver();
    expect(codeOf((await send({ sequence: 1n, amount: 5n })).reply)).toBe('F99');
    expect(codeOf((await send({ sequence: 2n, amount: 5n, frames: [money(1n, 0n)] })).reply)).toBe(
      'F99',
    );
    await send({ sequence: 3n, frames: [money(3n)] }); // opens stream 3
    const stream = connection.getStream(3) as ConnectionStream;
    void stream.close(); // the reply carries the StreamClose (no way to send otherwise)
    await send({ sequence: 4n });
    const { reply, packet } = await send({ sequence: 5n, amount: 5n, frames: [money(3n)] });
    expect(codeOf(reply)).toBe('F99');
    expect(packet?.frames).toContainEqual(
      expect.objectContaining({
        type: FrameType.StreamClose,
        streamId: 3n,
        errorCode: ErrorCode.StreamStateError,
      }),
    );
  });

  it('enforces the receive max strictly by default, and a tolerance when asked', async () => {
    const strict = await rawReceiver({ defaultReceiveMax: 100n });
    expect(
      codeOf((await strict.send({ sequence: 1n, amount: 101n, frames: [money(1n)] })).reply),
    ).toBe('F99');
    const ok = await strict.send({ sequence: 2n, amount: 100n, frames: [money(1n)] });
    expect(codeOf(ok.reply)).toBe('fulfill');
    expect(ok.packet?.frames).toContainEqual({
      type: FrameType.StreamMaxMoney,
      streamId: 1n,
      receiveMax: 100n,
      totalReceived: 100n,
    });
    await receiver?.destroy();
    const lenient = await rawReceiver({ defaultReceiveMax: 100n, receiveMaxTolerance: '0.01' });
    expect(
      codeOf((await lenient.send({ sequence: 1n, amount: 101n, frames: [money(1n)] })).reply),
    ).toBe('fulfill');
  });

  it('closes with ProtocolViolation for a stream id of the wrong parity', async () => {
    const { connection, send } = await rawReceiver();
    const { reply, packet } = await send({ sequence: 1n, amount: 1n, frames: [money(2n)] });
    expect(codeOf(reply)).toBe('F99');
    expect(packet?.frames).toContainEqual(
      expect.objectContaining({
        type: FrameType.ConnectionClose,
        errorCode: ErrorCode.ProtocolViolation,
      }),
    );
    expect(connection.isClosed).toBe(true);
    // later packets learn it is closed
    const late = await send({ sequence: 2n });
    expect(late.packet?.frames).toContainEqual(
      expect.objectContaining({ type: FrameType.ConnectionClose }),
    );
  });

  it('closes with StreamIdError above the max stream id', async () => {
    const { connection, send } = await rawReceiver({ maxRemoteStreams: 2 });
    expect(codeOf((await send({ sequence: 1n, frames: [money(3n)] })).reply)).toBe('fulfill');
    const { packet } = await send({ sequence: 2n, frames: [money(5n)] });
    expect(packet?.frames).toContainEqual(
      expect.objectContaining({
        type: FrameType.ConnectionClose,
        errorCode: ErrorCode.StreamIdError,
      }),
    );
    expect(connection.error).toBeInstanceOf(StreamProtocolError);
  });

  it('closes when a peer passes 2^31 packets', async () => {
    const { connection, send } = await rawReceiver();
    await send({ sequence: 2n ** 31n });
    expect(connection.isClosed).toBe(true);
    expect(connection.error?.message).toMatch(/2\^31/);
  });

  it('closes when the peer changes its asset details', async () => {
    const { connection, send } = await rawReceiver();
    const asset = (code: string): Frame => ({
      type: FrameType.ConnectionAssetDetails,
      sourceAssetCode: code,
      sourceAssetScale: 2,
    });
    await send({ sequence: 1n, frames: [asset('USD')] });
    expect(connection.remoteAssetCode).toBe('USD');
    await send({ sequence: 2n, frames: [asset('EUR')] });
    expect(connection.error).toMatchObject({ code: ErrorCode.ProtocolViolation });
  });

  it('tells a new peer its max stream id and asset details', async () => {
    const { send } = await rawReceiver();
    const { packet } = await send({
      sequence: 1n,
      frames: [{ type: FrameType.ConnectionNewAddress, sourceAddress: 'test.peer' }],
    });
    expect(packet?.frames).toContainEqual({
      type: FrameType.ConnectionMaxStreamId,
      maxStreamId: 20n,
    });
    expect(packet?.frames).toContainEqual({
      type: FrameType.ConnectionAssetDetails,
      sourceAssetCode: 'XRP',
      sourceAssetScale: 9,
    });
  });
});

describe('lifecycle', () => {
  it("client streams are odd, server streams even; the peer's max stream id holds", async () => {
    pair = await createPair();
    await pair.client.connect();
    const streams = Array.from({ length: 10 }, () => pair!.client.createStream());
    expect(streams.map((s) => s.id)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    for (const s of streams) s.write(new Uint8Array([1]));
    expect(() => pair!.client.createStream()).toThrow(StreamProtocolError);
    await streams[0].end();
    // the server replaced the closed stream: one more may open
    await waitFor(() => {
      try {
        pair!.client.createStream();
        return true;
      } catch {
        return false;
      }
    });
    const sc = await pair.serverConnection();
    const serverStream = sc.createStream();
    expect(serverStream.id).toBe(2);
    const seen = new Promise<ConnectionStream>((resolve) => pair!.client.once('stream', resolve));
    serverStream.write(new Uint8Array([9, 9]));
    expect((await seen).id).toBe(2);
  });

  it('the server pays the client back on a server-opened stream', async () => {
    pair = await createPair({ serverPath: { rate: [1n, 10_000n] } });
    await pair.client.pay({ sourceAmount: 100n });
    const sc = await pair.serverConnection();
    let got = 0n;
    pair.client.on('money', (_s, amount) => (got += amount));
    const result = await sc.pay({ sourceAmount: 1_000_000n });
    expect(result).toMatchObject({ reason: 'complete', delivered: 100n });
    expect(result.streamId % 2).toBe(0);
    expect(got).toBe(100n);
  });

  it('StreamClose with an error reaches the peer as a stream error', async () => {
    pair = await createPair();
    await pair.client.connect();
    const stream = pair.client.createStream();
    stream.write(new Uint8Array([1, 2, 3]));
    const sc = await pair.serverConnection();
    await waitFor(() => sc.getStream(1) !== undefined);
    const remote = sc.getStream(1) as ConnectionStream;
    const closed = new Promise<StreamProtocolError | undefined>((resolve) =>
      remote.once('close', resolve),
    );
    await stream.close(ErrorCode.ApplicationError, 'bye');
    const error = await closed;
    expect(error).toMatchObject({ code: ErrorCode.ApplicationError, message: 'bye', remote: true });
  });

  it('end() closes gracefully on both sides', async () => {
    pair = await createPair();
    await pair.client.connect();
    const stream = pair.client.createStream();
    stream.write(new Uint8Array(40_000));
    const sc = await pair.serverConnection();
    const serverClosed = new Promise<Error | undefined>((resolve) => sc.once('close', resolve));
    await pair.client.end();
    expect(pair.client.isClosed).toBe(true);
    expect(pair.client.error).toBeUndefined();
    expect(await serverClosed).toBeUndefined();
    expect(sc.isClosed).toBe(true);
  });

  it('destroy(error) tells the peer the code', async () => {
    pair = await createPair();
    await pair.client.connect();
    const sc = await pair.serverConnection();
    const serverClosed = new Promise<Error | undefined>((resolve) => sc.once('close', resolve));
    await pair.client.destroy(new StreamProtocolError(ErrorCode.ApplicationError, 'shutting down'));
    expect(await serverClosed).toMatchObject({ code: ErrorCode.ApplicationError, remote: true });
  });

  it('closes after the idle timeout', async () => {
    pair = await createPair({ client: { idleTimeoutMs: 30 } });
    await pair.client.connect();
    await pair.client.closed();
    expect(pair.client.isClosed).toBe(true);
  });

  it('stops at 2^31 packets', async () => {
    pair = await createPair();
    await pair.client.connect();
    (pair.client as unknown as { nextSequence: number }).nextSequence = 2 ** 31 - 3;
    const stream = pair.client.createStream();
    for (let i = 0; i < 5; i++) stream.write(new Uint8Array(30_000));
    await pair.client.closed();
    expect(pair.client.error?.message).toMatch(/2\^31/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

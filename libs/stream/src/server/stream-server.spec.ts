/**
 * The server: stateless tokens, what unknown or bad packets get, connection tags and hooks,
 * receipts for a verifier, no state for bare probes.
 */
import { IlpPacketType, type IlpReply, toBase64Url } from '@tollgate/ilp-core';
import { afterEach, describe, expect, it } from 'vitest';
import { CRYPTOS } from '../../test/cryptos';
import { createPair, Pair } from '../../test/network';
import { rawPrepare, readReply } from '../../test/raw';
import { StreamKeys } from '../crypto/stream-keys';
import { ConnectionStream } from '../connection/connection-stream';
import { FrameType } from '../packet/frames';
import { ReceiptVerifier } from '../receipt/receipt-verifier';
import { StreamServer } from './stream-server';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

function codeOf(reply: IlpReply): string {
  return reply.type === IlpPacketType.Reject ? reply.code : 'fulfill';
}

describe.each(CRYPTOS)('StreamServer (%s)', (_name, crypto) => {
  function server(extra: Partial<ConstructorParameters<typeof StreamServer>[0]> = {}) {
    return new StreamServer({
      serverSecret: crypto.randomBytes(32),
      serverAddress: 'test.server',
      assetCode: 'EUR',
      assetScale: 6,
      crypto,
      connectionOptions: { idleTimeoutMs: 0 },
      ...extra,
    });
  }

  it('hands out addresses under its own and 32-byte secrets, storing nothing', async () => {
    const s = server();
    const a = await s.generateAddressAndSecret();
    const b = await s.generateAddressAndSecret({ connectionTag: 'invoice-42' });
    expect(a.destinationAddress).toMatch(/^test\.server\.[A-Za-z0-9_-]+$/);
    expect(a.destinationAddress).not.toBe(b.destinationAddress);
    expect(a.sharedSecret.length).toBe(32);
    expect(a.receiptsEnabled).toBe(false);
    expect(s.activeConnections).toHaveLength(0);
  });

  it('tells the connection tag behind an address it issued, and nothing for others', async () => {
    const s = server();
    const tagged = await s.generateAddressAndSecret({ connectionTag: 'i.42.abc' });
    const untagged = await s.generateAddressAndSecret();
    const foreign = await server().generateAddressAndSecret({ connectionTag: 'i.42.abc' });
    expect(await s.connectionTagOf(tagged.destinationAddress)).toBe('i.42.abc');
    expect(await s.connectionTagOf(`${tagged.destinationAddress}.sub`)).toBe('i.42.abc');
    expect(await s.connectionTagOf(untagged.destinationAddress)).toBeUndefined();
    expect(await s.connectionTagOf(foreign.destinationAddress)).toBeUndefined();
    expect(await s.connectionTagOf('test.elsewhere.x')).toBeUndefined();
  });

  it('F02 with an empty message for tokens it did not issue', async () => {
    const s = server();
    const other = server();
    const foreign = await other.generateAddressAndSecret();
    const keys = await StreamKeys.fromSharedSecret(crypto, foreign.sharedSecret);
    const token = foreign.destinationAddress.split('.').pop() as string;
    for (const destination of [
      `test.server.${token}`,
      `test.server.${toBase64Url(crypto.randomBytes(60))}`,
      'test.server.not~base64',
      'test.server',
      'test.elsewhere.abc',
    ]) {
      const reply = await s.handlePrepare(await rawPrepare(keys, destination, { sequence: 1n }));
      expect(codeOf(reply)).toBe('F02');
      expect(reply.type === IlpPacketType.Reject && reply.message).toBe('');
    }
  });

  it('F02 for a new connection whose data does not decrypt; F06 once it exists', async () => {
    const s = server();
    const { destinationAddress, sharedSecret } = await s.generateAddressAndSecret();
    const keys = await StreamKeys.fromSharedSecret(crypto, sharedSecret);
    const wrongKeys = await StreamKeys.fromSharedSecret(crypto, crypto.randomBytes(32));
    const bad = await rawPrepare(wrongKeys, destinationAddress, { sequence: 1n, frames: [] });
    expect(codeOf(await s.handlePrepare(bad))).toBe('F02');
    const open = await rawPrepare(keys, destinationAddress, {
      sequence: 1n,
      frames: [{ type: FrameType.ConnectionNewAddress, sourceAddress: 'test.client' }],
    });
    expect(codeOf(await s.handlePrepare(open))).toBe('fulfill');
    expect(s.activeConnections).toHaveLength(1);
    expect(codeOf(await s.handlePrepare(bad))).toBe('F06');
    const wrongType = await rawPrepare(keys, destinationAddress, {
      sequence: 2n,
      ilpPacketType: IlpPacketType.Reject,
    });
    expect(codeOf(await s.handlePrepare(wrongType))).toBe('F06');
  });

  it('answers a bare probe without creating a connection', async () => {
    const s = server();
    const { destinationAddress, sharedSecret } = await s.generateAddressAndSecret();
    const keys = await StreamKeys.fromSharedSecret(crypto, sharedSecret);
    const reply = await s.handlePrepare(
      await rawPrepare(keys, destinationAddress, {
        sequence: 7n,
        amount: 5_000n,
        unfulfillable: true,
      }),
    );
    expect(codeOf(reply)).toBe('F99');
    const packet = await readReply(keys, reply);
    expect(packet).toMatchObject({ sequence: 7n, ilpPacketType: 14, prepareAmount: 5_000n });
    expect(packet?.frames).toContainEqual({
      type: FrameType.ConnectionAssetDetails,
      sourceAssetCode: 'EUR',
      sourceAssetScale: 6,
    });
    expect(s.activeConnections).toHaveLength(0);
  });

  it('validates receipt options', async () => {
    const s = server();
    await expect(s.generateAddressAndSecret({ receiptNonce: new Uint8Array(16) })).rejects.toThrow(
      /together/,
    );
    await expect(
      s.generateAddressAndSecret({
        receiptNonce: new Uint8Array(15),
        receiptSecret: new Uint8Array(32),
      }),
    ).rejects.toThrow(/16 bytes/);
    await expect(s.generateAddressAndSecret({ connectionTag: 'x'.repeat(900) })).rejects.toThrow(
      /too long/,
    );
    expect(() => server({ serverSecret: new Uint8Array(31) })).toThrow(/32 bytes/);
  });
});

describe('StreamServer with a client', () => {
  it('gives the app its connection tag on connection and on every payment', async () => {
    const events: { tag: string | undefined; streamId: number; amount: bigint; total: bigint }[] =
      [];
    const tags: (string | undefined)[] = [];
    pair = await createPair({
      generate: { connectionTag: 'invoice:42' },
      server: {
        onConnection: (_c, { connectionTag }) => {
          tags.push(connectionTag);
        },
        onMoney: (e) =>
          events.push({
            tag: e.connectionTag,
            streamId: e.streamId,
            amount: e.amount,
            total: e.totalReceived,
          }),
      },
      clientPath: { maxPacketAmount: 400n },
    });
    await pair.client.pay({ sourceAmount: 1_000n });
    expect(tags).toEqual(['invoice:42']);
    expect(events.every((e) => e.tag === 'invoice:42' && e.streamId === 1)).toBe(true);
    expect(events.reduce((n, e) => n + e.amount, 0n)).toBe(1_000n);
    expect(events.at(-1)?.total).toBe(1_000n);
    expect((await pair.serverConnection()).connectionTag).toBe('invoice:42');
  });

  it('puts RFC 39 receipts in Fulfills; a verifier credits each increase once', async () => {
    const [, crypto] = CRYPTOS[1];
    const verifier = await ReceiptVerifier.create({ crypto });
    const { nonce, secret } = await verifier.generateNonceAndSecret();
    pair = await createPair({
      crypto,
      generate: { receiptNonce: nonce, receiptSecret: secret },
      clientPath: { maxPacketAmount: 300n },
    });
    const receipts: Uint8Array[] = [];
    const result = await pair.client.pay({
      sourceAmount: 1_000n,
      onProgress: () => {
        const r = pair?.client.getStream(1)?.receipt;
        if (r) receipts.push(r);
      },
    });
    expect(result.delivered).toBe(1_000n);
    let credited = 0n;
    for (const receipt of receipts) credited += (await verifier.verify(receipt)).increase;
    expect(credited).toBe(1_000n);
    // replaying the last one credits nothing
    await expect(verifier.verify(receipts[receipts.length - 1])).rejects.toMatchObject({
      reason: 'not-increasing',
    });
  });

  it('closed connections answer late packets with ConnectionClose', async () => {
    pair = await createPair();
    await pair.client.pay({ sourceAmount: 10n });
    const sc = await pair.serverConnection();
    await sc.destroy();
    const keys = await StreamKeys.fromSharedSecret(CRYPTOS[1][1], pair.sharedSecret);
    const reply = await pair.server.handlePrepare(
      await rawPrepare(keys, pair.destinationAddress, {
        sequence: 99n,
        amount: 5n,
        frames: [{ type: FrameType.StreamMoney, streamId: 1n, shares: 1n }],
      }),
    );
    expect(codeOf(reply)).toBe('F99');
    const packet = await readReply(keys, reply);
    expect(packet?.frames).toContainEqual(
      expect.objectContaining({ type: FrameType.ConnectionClose }),
    );
    expect(pair.server.activeConnections).toHaveLength(0);
  });

  it('lets the app set a receive max per stream from onConnection', async () => {
    pair = await createPair({
      server: {
        onConnection: (connection) =>
          void connection.on('stream', (stream: ConnectionStream) => stream.setReceiveMax(77n)),
      },
    });
    const result = await pair.client.pay({ sourceAmount: 100n });
    expect(result).toMatchObject({ reason: 'receive-max', delivered: 77n });
  });
});

/**
 * STREAM figures, ours (libs/stream) beside the reference (ilp-protocol-stream 2.7.1) in one
 * process: a STREAM packet (money frames + 512 bytes of data) serialized, encrypted,
 * decrypted and parsed; and a whole in-memory payment (client → connector with a max packet
 * amount of 100 → server), in fulfilled packets per second. Medians of alternating samples.
 * Run alone with `npx tsx bench/stream.bench.ts`.
 */
import { IlpPacketType, MAX_UINT64 } from '@tollgate/ilp-core';
import { BenchRow, median, row, runIfMain } from './bench-row';
import {
  FrameType,
  StreamKeys,
  WebStreamCrypto,
  deserializeStreamPacket,
  serializeStreamPacket,
  type StreamCrypto,
  type StreamPacket,
} from '../libs/stream/src/index';
import { NodeStreamCrypto } from '../libs/stream/src/node';
import { connectorPath, createPair } from '../libs/stream/test/network';
import { MemoryPlugin, reference } from '../libs/stream/test/reference';

/* eslint-disable @typescript-eslint/no-require-imports -- the reference's internals */
const refPacket = require('ilp-protocol-stream/dist/src/packet');
const refCrypto = require('ilp-protocol-stream/dist/src/crypto');
/* eslint-enable @typescript-eslint/no-require-imports */

const SAMPLES = 5;
const PACKETS_PER_SAMPLE = 5_000;
const PAYMENT_PACKETS = 2_000;
const MAX_PACKET = 100n;

const DATA = new Uint8Array(512).fill(7);
const PACKET: StreamPacket = {
  sequence: 12_345n,
  ilpPacketType: IlpPacketType.Prepare,
  prepareAmount: 990n,
  frames: [
    { type: FrameType.StreamMoney, streamId: 1n, shares: 1_000n },
    { type: FrameType.StreamMaxMoney, streamId: 1n, receiveMax: MAX_UINT64, totalReceived: 5_000n },
    { type: FrameType.ConnectionMaxData, maxOffset: 262_144n },
    { type: FrameType.StreamData, streamId: 1n, offset: 10_000n, data: DATA },
  ],
};

async function oursCodec(crypto: StreamCrypto): Promise<() => Promise<number>> {
  const keys = await StreamKeys.fromSharedSecret(crypto, crypto.randomBytes(32));
  return async () => {
    const start = performance.now();
    for (let i = 0; i < PACKETS_PER_SAMPLE; i++) {
      const data = await keys.encrypt(serializeStreamPacket(PACKET));
      const back = deserializeStreamPacket((await keys.decrypt(data)) as Uint8Array);
      if (back.frames.length !== 4) throw new Error('bad round trip');
    }
    return (PACKETS_PER_SAMPLE * 1000) / (performance.now() - start);
  };
}

async function referenceCodec(): Promise<() => Promise<number>> {
  const key = await refCrypto.generatePskEncryptionKey(Buffer.alloc(32, 1));
  const packet = new refPacket.Packet(12_345, IlpPacketType.Prepare, 990, [
    new refPacket.StreamMoneyFrame(1, 1_000),
    new refPacket.StreamMaxMoneyFrame(1, '18446744073709551615', 5_000),
    new refPacket.ConnectionMaxDataFrame(262_144),
    new refPacket.StreamDataFrame(1, 10_000, Buffer.from(DATA)),
  ]);
  return async () => {
    const start = performance.now();
    for (let i = 0; i < PACKETS_PER_SAMPLE; i++) {
      const data = await packet.serializeAndEncrypt(key);
      const back = await refPacket.Packet.decryptAndDeserialize(key, data);
      if (back.frames.length !== 4) throw new Error('bad round trip');
    }
    return (PACKETS_PER_SAMPLE * 1000) / (performance.now() - start);
  };
}

/** Our client paying our server: fulfilled packets per second. */
async function oursPayment(maxInFlight: number): Promise<number> {
  const pair = await createPair({
    crypto: new NodeStreamCrypto(),
    clientPath: { maxPacketAmount: MAX_PACKET },
    client: { maxInFlight },
  });
  try {
    await pair.client.connect();
    const start = performance.now();
    const result = await pair.client.pay({ sourceAmount: MAX_PACKET * BigInt(PAYMENT_PACKETS) });
    if (result.reason !== 'complete') throw new Error(`payment ended with ${result.reason}`);
    return (result.packets.fulfilled * 1000) / (performance.now() - start);
  } finally {
    await pair.close();
  }
}

/** The reference client paying the reference server the same way. */
async function referencePayment(): Promise<number> {
  // eslint-disable-next-line prefer-const -- wired after both plugins exist
  let serverPlugin: MemoryPlugin;
  const clientPlugin = new MemoryPlugin(
    { clientAddress: 'test.refclient', assetCode: 'USD', assetScale: 2 },
    connectorPath((prepare) => serverPlugin.deliver(prepare), { maxPacketAmount: MAX_PACKET }),
  );
  serverPlugin = new MemoryPlugin(
    { clientAddress: 'test.refserver', assetCode: 'USD', assetScale: 2 },
    (prepare) => clientPlugin.deliver(prepare),
  );
  const server = await reference.createServer({ plugin: serverPlugin });
  server.on('connection', (connection: import('ilp-protocol-stream').Connection) => {
    connection.on('stream', (stream: import('ilp-protocol-stream').DataAndMoneyStream) =>
      stream.setReceiveMax('18446744073709551615'),
    );
  });
  const { destinationAccount, sharedSecret } = server.generateAddressAndSecret();
  const connection = await reference.createConnection({
    plugin: clientPlugin,
    destinationAccount,
    sharedSecret,
  });
  try {
    const stream = connection.createStream();
    let fulfilled = 0;
    stream.on('outgoing_money', () => fulfilled++);
    const start = performance.now();
    await stream.sendTotal(Number(MAX_PACKET) * PAYMENT_PACKETS, { timeout: 120_000 });
    return (fulfilled * 1000) / (performance.now() - start);
  } finally {
    await connection.destroy().catch(() => undefined);
    await server.close().catch(() => undefined);
  }
}

async function compare(
  name: string,
  unit: string,
  ours: () => Promise<number>,
  ref: (() => Promise<number>) | null,
): Promise<BenchRow> {
  const oursSamples: number[] = [];
  const refSamples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    // alternate the order so drift hits both evenly
    if (i % 2 === 0 || ref === null) {
      oursSamples.push(await ours());
      if (ref) refSamples.push(await ref());
    } else {
      refSamples.push(await ref());
      oursSamples.push(await ours());
    }
  }
  return row(name, unit, median(oursSamples), ref ? median(refSamples) : null);
}

export async function runStreamBench(): Promise<BenchRow[]> {
  const nodeCodec = await oursCodec(new NodeStreamCrypto());
  const webCodec = await oursCodec(new WebStreamCrypto());
  const refCodec = await referenceCodec();
  return [
    await compare('stream packet encrypt+decrypt (node crypto)', 'ops/s', nodeCodec, refCodec),
    await compare('stream packet encrypt+decrypt (web crypto)', 'ops/s', webCodec, null),
    // the reference sends one packet at a time; ours defaults to 4 in flight
    await compare(
      `stream in-memory payment, max packet ${MAX_PACKET}, 1 in flight`,
      'packets/s',
      () => oursPayment(1),
      referencePayment,
    ),
    await compare(
      `stream in-memory payment, max packet ${MAX_PACKET}, default 4 in flight`,
      'packets/s',
      () => oursPayment(4),
      referencePayment,
    ),
  ];
}

runIfMain(module, runStreamBench);

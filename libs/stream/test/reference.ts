/**
 * The reference implementation (ilp-protocol-stream 2.7.1) for interop tests, plus an
 * in-memory plugin shim that speaks serialized ILP packets to it.
 *
 * ilp-protocol-stream's DataAndMoneyStream extends Node's Duplex and assigns `this.closed`,
 * which Node ≥ 18 defines as a getter-only property: every stream creation throws
 * "Cannot set property closed of #<Readable> which has only a getter". Loading this module
 * shadows that one accessor on DataAndMoneyStream's prototype with a plain get/set pair.
 */
import {
  IlpPacketType,
  deserializeIlpReply,
  deserializePrepare,
  ildcpResponseFulfill,
  serializeIlpPacket,
  serializePrepare,
  type IlpPrepare,
  type IlpReply,
} from '@tollgate/ilp-core';
import * as IlpPacket from 'ilp-packet';
import * as reference from 'ilp-protocol-stream';
import * as referenceStreamModule from 'ilp-protocol-stream/dist/src/stream';

const closedFlag = Symbol('closed');
Object.defineProperty(referenceStreamModule.DataAndMoneyStream.prototype, 'closed', {
  configurable: true,
  get(this: { [closedFlag]?: boolean }): boolean {
    return this[closedFlag] === true;
  },
  set(this: { [closedFlag]?: boolean }, value: boolean) {
    this[closedFlag] = value;
  },
});

export { reference };

type DataHandler = (data: Buffer) => Promise<Buffer>;

/**
 * The plugin interface ilp-protocol-stream uses (connect / disconnect / isConnected /
 * sendData / registerDataHandler / deregisterDataHandler), backed by functions: outgoing
 * Prepares go to `forward` (after ILDCP `peer.config` is answered locally), incoming ones
 * are delivered with {@link MemoryPlugin.deliver}.
 */
export class MemoryPlugin {
  private handler: DataHandler | undefined;
  private connected = false;

  /**
   * @param lenient parse the reference's Prepares with ilp-packet (the JS reference codec)
   *   instead of ilp-core: ilp-protocol-stream 2.7.1 fills a packet's *plaintext* up to 32 767
   *   bytes, so its encrypted data reaches ~32 773 bytes, over RFC 27's limit, which
   *   ilp-core (rightly) refuses. Only the large-data interop test needs this.
   */
  constructor(
    private readonly ildcp: { clientAddress: string; assetCode: string; assetScale: number },
    private readonly forward: (prepare: IlpPrepare) => Promise<IlpReply>,
    private readonly lenient = false,
  ) {}

  async connect(): Promise<void> {
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
  }

  isConnected(): boolean {
    return this.connected;
  }

  async sendData(data: Buffer): Promise<Buffer> {
    const prepare = this.lenient ? lenientPrepare(data) : deserializePrepare(new Uint8Array(data));
    if (prepare.destination === 'peer.config') {
      return Buffer.from(serializeIlpPacket(ildcpResponseFulfill(this.ildcp)));
    }
    const reply = await this.forward(prepare);
    return Buffer.from(serializeIlpPacket(reply));
  }

  registerDataHandler(handler: DataHandler): void {
    this.handler = handler;
  }

  deregisterDataHandler(): void {
    this.handler = undefined;
  }

  /** A Prepare for the plugin's owner (the reference side), answered by its handler. */
  async deliver(prepare: IlpPrepare): Promise<IlpReply> {
    if (!this.handler) {
      return {
        type: IlpPacketType.Reject,
        code: 'F02',
        triggeredBy: '',
        message: 'no handler',
        data: new Uint8Array(0),
      };
    }
    const reply = await this.handler(Buffer.from(serializePrepare(prepare)));
    return deserializeIlpReply(new Uint8Array(reply));
  }
}

function lenientPrepare(data: Buffer): IlpPrepare {
  const p = IlpPacket.deserializeIlpPrepare(data);
  return {
    type: IlpPacketType.Prepare,
    amount: BigInt(p.amount),
    expiresAt: p.expiresAt,
    executionCondition: new Uint8Array(p.executionCondition),
    destination: p.destination,
    data: new Uint8Array(p.data),
  };
}

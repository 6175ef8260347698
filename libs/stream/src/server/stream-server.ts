/**
 * A STREAM server: hands out (destination address, shared secret) pairs without storing
 * anything, and answers Prepares for them (its {@link StreamServer.handlePrepare} is the ILP
 * handler an app registers with its connector for `<serverAddress>`).
 *
 * Per Prepare: the first address segment after the server address is the token → not ours
 * (does not decrypt) → F02 with an empty message. Known connection → it answers (its own
 * F06 for data that does not decrypt). New connection: data that does not decrypt with the
 * token's secret → F02; a packet without frames (a bare probe) is answered without creating
 * any state; anything else creates the connection, calls `onConnection`, then lets it
 * answer. Closed connections are remembered (bounded) so late packets learn they closed.
 */
import {
  IlpErrorCode,
  IlpPacketType,
  isValidIlpAddress,
  type IlpPrepare,
  type IlpReject,
  type IlpReply,
} from '@tollgate/ilp-core';
import { StreamCrypto, StreamCryptoKey } from '../crypto/stream-crypto';
import { WebStreamCrypto } from '../crypto/web-crypto';
import { SHARED_SECRET_KEY_STRING, StreamKeys } from '../crypto/stream-keys';
import { StreamConnection } from '../connection/connection';
import {
  SendPrepare,
  ShouldAccept,
  StreamConnectionOptions,
} from '../connection/connection-options';
import { ConnectionStream } from '../connection/connection-stream';
import { FrameType } from '../packet/frames';
import {
  deserializeStreamPacket,
  serializeStreamPacket,
  StreamPacket,
} from '../packet/stream-packet';
import { RECEIPT_NONCE_LENGTH, RECEIPT_SECRET_LENGTH } from '../receipt/receipt';
import { decryptToken, encryptToken, tokenSegment } from './connection-token';

export interface MoneyReceivedEvent {
  connectionTag: string | undefined;
  connection: StreamConnection;
  streamId: number;
  /** This packet's share for the stream (server units). */
  amount: bigint;
  /** The stream's total so far. */
  totalReceived: bigint;
}

export interface StreamServerOptions {
  /** 32 random bytes; every address and secret is derived from it. Keep it private. */
  serverSecret: Uint8Array;
  /** The server's ILP address (e.g. from ILDCP); connections live under it. */
  serverAddress: string;
  assetCode: string;
  assetScale: number;
  /** Default: Web Crypto. Node apps pass `new NodeStreamCrypto()` from the node entry. */
  crypto?: StreamCrypto;
  /** How server-side connections reach clients (money/data back, closes). Optional. */
  sendPrepare?: SendPrepare;
  /** Per-connection options (windows, max streams, receive max, tolerance, timeouts…). */
  connectionOptions?: Omit<
    StreamConnectionOptions,
    | 'sharedSecret'
    | 'crypto'
    | 'isServer'
    | 'sendPrepare'
    | 'sourceAddress'
    | 'destinationAddress'
    | 'assetCode'
    | 'assetScale'
    | 'connectionTag'
    | 'receipts'
    | 'shouldAccept'
  >;
  /** Called before a new connection handles its first packet (attach 'stream' listeners here). */
  onConnection?: (
    connection: StreamConnection,
    info: { connectionTag: string | undefined },
  ) => void | Promise<void>;
  /** The application's say on each stream share of incoming money (see ShouldAccept). */
  shouldAccept?: ShouldAccept;
  /** Called for every stream share of every fulfilled packet. */
  onMoney?: (event: MoneyReceivedEvent) => void;
  /** Closed connections remembered to answer late packets (default 1000). */
  closedConnectionsKept?: number;
}

export interface GenerateOptions {
  /** Opaque tag the app gets back with the connection (e.g. an invoice id). */
  connectionTag?: string;
  /** RFC 39: 16-byte nonce from the receipt verifier (with receiptSecret). */
  receiptNonce?: Uint8Array;
  /** RFC 39: 32-byte secret from the receipt verifier (with receiptNonce). */
  receiptSecret?: Uint8Array;
}

export interface AddressAndSecret {
  destinationAddress: string;
  sharedSecret: Uint8Array;
  receiptsEnabled: boolean;
}

export class StreamServer {
  readonly serverAddress: string;
  readonly crypto: StreamCrypto;
  private readonly connections = new Map<string, StreamConnection>();
  private readonly pending = new Map<string, Promise<StreamConnection | undefined>>();
  private readonly closed = new Map<string, StreamConnection>();
  private readonly closedKept: number;
  private tokenKeyPromise: Promise<StreamCryptoKey> | undefined;
  private secretKeyPromise: Promise<StreamCryptoKey> | undefined;

  constructor(private readonly options: StreamServerOptions) {
    if (!(options.serverSecret instanceof Uint8Array) || options.serverSecret.length !== 32) {
      throw new RangeError('serverSecret must be 32 bytes');
    }
    if (!isValidIlpAddress(options.serverAddress)) {
      throw new RangeError(`invalid server address ${options.serverAddress}`);
    }
    this.serverAddress = options.serverAddress;
    this.crypto = options.crypto ?? new WebStreamCrypto();
    this.closedKept = options.closedConnectionsKept ?? 1000;
  }

  private tokenKey(): Promise<StreamCryptoKey> {
    this.tokenKeyPromise ??= Promise.resolve(this.crypto.importAesKey(this.options.serverSecret));
    return this.tokenKeyPromise;
  }

  private sharedSecretKey(): Promise<StreamCryptoKey> {
    this.secretKeyPromise ??= (async () =>
      this.crypto.importHmacKey(
        await this.crypto.hmacSha256(this.options.serverSecret, SHARED_SECRET_KEY_STRING),
      ))();
    return this.secretKeyPromise;
  }

  /** Live connections (those that received money or data and have not closed). */
  get activeConnections(): StreamConnection[] {
    return [...this.connections.values()];
  }

  /**
   * A fresh destination address and shared secret (stores nothing). With a receipt nonce
   * and secret, Fulfills carry RFC 39 receipts for that verifier.
   */
  async generateAddressAndSecret(options: GenerateOptions = {}): Promise<AddressAndSecret> {
    const { connectionTag, receiptNonce, receiptSecret } = options;
    if ((receiptNonce === undefined) !== (receiptSecret === undefined)) {
      throw new RangeError('receiptNonce and receiptSecret go together');
    }
    if (receiptNonce !== undefined && receiptNonce.length !== RECEIPT_NONCE_LENGTH) {
      throw new RangeError(`receiptNonce must be ${RECEIPT_NONCE_LENGTH} bytes`);
    }
    if (receiptSecret !== undefined && receiptSecret.length !== RECEIPT_SECRET_LENGTH) {
      throw new RangeError(`receiptSecret must be ${RECEIPT_SECRET_LENGTH} bytes`);
    }
    const token = await encryptToken(this.crypto, await this.tokenKey(), {
      connectionTag,
      receiptNonce,
      receiptSecret,
    });
    const destinationAddress = `${this.serverAddress}.${tokenSegment(token)}`;
    if (!isValidIlpAddress(destinationAddress)) {
      throw new RangeError('connectionTag too long: the address would exceed 1023 bytes');
    }
    return {
      destinationAddress,
      sharedSecret: await this.crypto.hmacSha256(await this.sharedSecretKey(), token),
      receiptsEnabled: receiptNonce !== undefined,
    };
  }

  /**
   * The connection tag behind a destination address this server handed out (undefined for
   * an address it did not issue, or one issued without a tag). Cheap for live connections;
   * otherwise it decrypts the token.
   */
  async connectionTagOf(destination: string): Promise<string | undefined> {
    const prefix = `${this.serverAddress}.`;
    if (!destination.startsWith(prefix)) return undefined;
    const rest = destination.slice(prefix.length);
    const dot = rest.indexOf('.');
    const segment = dot < 0 ? rest : rest.slice(0, dot);
    const live = this.connections.get(segment) ?? this.closed.get(segment);
    if (live) return live.connectionTag;
    const decrypted = await decryptToken(this.crypto, await this.tokenKey(), segment);
    return decrypted?.contents.connectionTag;
  }

  /** The ILP handler for `<serverAddress>.*`. Resolves with a Fulfill or Reject, never throws. */
  async handlePrepare(prepare: IlpPrepare): Promise<IlpReply> {
    try {
      const prefix = `${this.serverAddress}.`;
      if (!prepare.destination.startsWith(prefix)) return this.unreachable();
      const rest = prepare.destination.slice(prefix.length);
      const dot = rest.indexOf('.');
      const segment = dot < 0 ? rest : rest.slice(0, dot);
      if (segment.length === 0) return this.unreachable();
      const live = this.connections.get(segment) ?? this.closed.get(segment);
      if (live) return await live.handlePrepare(prepare);
      return await this.handleNew(segment, prepare);
    } catch {
      return this.reject(IlpErrorCode.T00_INTERNAL_ERROR);
    }
  }

  private reject(code: string): IlpReject {
    return {
      type: IlpPacketType.Reject,
      code,
      triggeredBy: this.serverAddress,
      message: '',
      data: new Uint8Array(0),
    };
  }

  /** F02 with an empty message: deliberately says nothing about why. */
  private unreachable(): IlpReject {
    return this.reject(IlpErrorCode.F02_UNREACHABLE);
  }

  private async handleNew(segment: string, prepare: IlpPrepare): Promise<IlpReply> {
    const decrypted = await decryptToken(this.crypto, await this.tokenKey(), segment);
    if (decrypted === undefined) return this.unreachable();
    // one canonical key per token, whatever spelling of it the address used
    const key = tokenSegment(decrypted.token);
    const existing = this.connections.get(key) ?? this.closed.get(key);
    if (existing) return existing.handlePrepare(prepare);

    const sharedSecret = await this.crypto.hmacSha256(
      await this.sharedSecretKey(),
      decrypted.token,
    );
    const keys = await StreamKeys.fromSharedSecret(this.crypto, sharedSecret);
    const plaintext = await keys.decrypt(prepare.data);
    if (plaintext === undefined) return this.unreachable();
    let packet: StreamPacket;
    try {
      packet = deserializeStreamPacket(plaintext);
    } catch {
      return this.unreachable();
    }
    if (packet.ilpPacketType !== IlpPacketType.Prepare) {
      return this.reject(IlpErrorCode.F06_UNEXPECTED_PAYMENT);
    }
    if (packet.frames.length === 0) return this.statelessReply(keys, prepare, packet);

    const pending = this.pending.get(key);
    let connection = pending ? await pending : this.connections.get(key);
    if (connection === undefined) {
      const creating = this.createConnection(key, keys, decrypted.contents);
      this.pending.set(key, creating);
      try {
        connection = await creating;
      } finally {
        this.pending.delete(key);
      }
    }
    if (connection === undefined) return this.reject(IlpErrorCode.T00_INTERNAL_ERROR);
    return connection.handleDecrypted(prepare, packet);
  }

  /**
   * A frameless packet on an unknown connection (a bare probe or ping): answer what
   * arrived, plus our asset, without creating any state. Never fulfilled.
   */
  private async statelessReply(
    keys: StreamKeys,
    prepare: IlpPrepare,
    packet: StreamPacket,
  ): Promise<IlpReply> {
    const reply = serializeStreamPacket({
      sequence: packet.sequence,
      ilpPacketType: IlpPacketType.Reject,
      prepareAmount: prepare.amount,
      frames: [
        {
          type: FrameType.ConnectionAssetDetails,
          sourceAssetCode: this.options.assetCode,
          sourceAssetScale: this.options.assetScale,
        },
      ],
    });
    return {
      type: IlpPacketType.Reject,
      code: IlpErrorCode.F99_APPLICATION_ERROR,
      triggeredBy: this.serverAddress,
      message: '',
      data: await keys.encrypt(reply),
    };
  }

  private async createConnection(
    key: string,
    keys: StreamKeys,
    contents: {
      connectionTag: string | undefined;
      receiptNonce?: Uint8Array;
      receiptSecret?: Uint8Array;
    },
  ): Promise<StreamConnection> {
    const { options } = this;
    const connection = StreamConnection.fromKeys(keys, {
      ...options.connectionOptions,
      sharedSecret: new Uint8Array(32), // unused: keys are already derived
      crypto: this.crypto,
      isServer: true,
      sendPrepare: options.sendPrepare,
      sourceAddress: `${this.serverAddress}.${key}`,
      assetCode: options.assetCode,
      assetScale: options.assetScale,
      connectionTag: contents.connectionTag,
      receipts:
        contents.receiptNonce && contents.receiptSecret
          ? { nonce: contents.receiptNonce, secret: contents.receiptSecret }
          : undefined,
      shouldAccept: options.shouldAccept,
    });
    connection.on('money', (stream: ConnectionStream, amount: bigint, totalReceived: bigint) => {
      options.onMoney?.({
        connectionTag: contents.connectionTag,
        connection,
        streamId: stream.id,
        amount,
        totalReceived,
      });
    });
    connection.on('close', () => {
      this.connections.delete(key);
      this.closed.set(key, connection);
      if (this.closed.size > this.closedKept) {
        const oldest = this.closed.keys().next().value as string;
        this.closed.delete(oldest);
      }
    });
    if (options.onConnection) {
      await options.onConnection(connection, { connectionTag: contents.connectionTag });
    }
    // registered only now: no packet reaches it before the app has attached its listeners
    if (!connection.isClosed) this.connections.set(key, connection);
    return connection;
  }

  /** Closes every connection (ConnectionClose to clients that can be reached). */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.end()));
  }
}

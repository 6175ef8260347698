import { IlpError, IlpErrorCode } from '@tollgate/ilp-core';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startServer, TestServer, until } from '../test/harness';
import { BtpClient } from './btp-client';
import { BtpConnection } from './btp-connection';
import { BtpErrorCode, BtpProtocolError } from './codec/btp-error-codes';
import { textProtocolData } from './codec/protocol-data';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

interface Link {
  s: TestServer;
  client: BtpClient;
  /** The server side of the link. */
  remote: BtpConnection;
}

async function link(
  serverOptions: Parameters<typeof startServer>[0] = {},
  clientOptions: Partial<ConstructorParameters<typeof BtpClient>[0]> = {},
): Promise<Link> {
  const s = await startServer(serverOptions);
  cleanup.push(() => s.close());
  const client = new BtpClient({
    url: s.url('alice'),
    reconnect: false,
    pingIntervalMs: 0,
    ...clientOptions,
  });
  cleanup.push(() => client.close());
  const next = s.nextConnection();
  await client.connect();
  const [, remote] = await next;
  return { s, client, remote };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function u32(n: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, n);
  return bytes;
}

describe('ILP over BTP', () => {
  it('carries packets both ways', async () => {
    const { client, remote } = await link();
    remote.setIlpHandler(async (p) => new Uint8Array([...p, 1]));
    client.setIlpHandler(async (p) => new Uint8Array([...p, 2]));
    await expect(client.sendIlp(new Uint8Array([9]), 1000)).resolves.toEqual(
      new Uint8Array([9, 1]),
    );
    await expect(remote.sendIlp(new Uint8Array([8]), 1000)).resolves.toEqual(
      new Uint8Array([8, 2]),
    );
  });

  it('matches 2,000 concurrent requests to their own answers, answered out of order', async () => {
    const { client, remote } = await link();
    remote.setIlpHandler(async (p) => {
      await sleep(Math.random() * 20);
      return new Uint8Array([...p].reverse());
    });
    const count = 2000;
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => client.sendIlp(u32(i * 7919), 10_000)),
    );
    results.forEach((answer, i) => expect(answer).toEqual(u32(i * 7919).reverse()));
    expect(client.connection!.pendingRequests).toBe(0);
    expect(remote.incomingRequests).toBe(0);
  });

  it('rejects with R00 on timeout and ignores the late answer', async () => {
    const { client, remote } = await link();
    remote.setIlpHandler(async (p) => {
      if (p[0] === 1) await sleep(150);
      return p;
    });
    const error = await rejection(client.sendIlp(new Uint8Array([1]), 50));
    expect(error).toBeInstanceOf(IlpError);
    expect((error as IlpError).code).toBe(IlpErrorCode.R00_TRANSFER_TIMED_OUT);
    await sleep(150); // the late Response arrives and is dropped
    await expect(client.sendIlp(new Uint8Array([2]), 1000)).resolves.toEqual(new Uint8Array([2]));
    expect(client.connection!.pendingRequests).toBe(0);
    expect(client.connection!.invalidFrameCount).toBe(0);
  });

  it('rejects R00 at once when no time is left', async () => {
    const { client } = await link();
    expect(((await rejection(client.sendIlp(new Uint8Array([1]), 0))) as IlpError).code).toBe(
      'R00',
    );
  });

  it('rejects every in-flight request with T01 at once when the peer disconnects', async () => {
    const { client, remote } = await link();
    remote.setIlpHandler(() => new Promise(() => undefined)); // never answers
    const pending = Array.from({ length: 100 }, (_, i) =>
      rejection(client.sendIlp(u32(i), 30_000)),
    );
    await until(() => remote.incomingRequests === 100);
    const started = Date.now();
    remote.terminate();
    const errors = await Promise.all(pending);
    expect(Date.now() - started).toBeLessThan(1000);
    for (const error of errors) {
      expect(error).toBeInstanceOf(IlpError);
      expect((error as IlpError).code).toBe(IlpErrorCode.T01_PEER_UNREACHABLE);
    }
    // the server side rejects its own pending requests too
  });

  it('rejects T01 at once on a local close, and when not connected', async () => {
    const { client, remote } = await link();
    client.setIlpHandler(() => new Promise(() => undefined));
    const pending = rejection(remote.sendIlp(new Uint8Array([1]), 30_000));
    await sleep(20);
    remote.close('bye');
    expect(((await pending) as IlpError).code).toBe('T01');
    expect(((await rejection(remote.sendIlp(new Uint8Array([1]), 1000))) as IlpError).code).toBe(
      'T01',
    );
    await until(() => !client.isConnected);
    expect(((await rejection(client.sendIlp(new Uint8Array([1]), 1000))) as IlpError).code).toBe(
      'T01',
    );
  });

  it('maps BTP Error answers: handler crash T00 → T01 without internals, F01 → F01, F00 → F02', async () => {
    const { client, remote } = await link();
    const errors: unknown[] = [];
    let mode = 0;
    remote.setIlpHandler(async () => {
      if (mode === 0) throw new Error('db password is hunter2');
      if (mode === 1) throw new BtpProtocolError(BtpErrorCode.F01_INVALID_FIELDS, 'bad');
      throw new BtpProtocolError(BtpErrorCode.F00_NOT_ACCEPTED, 'no');
    });
    for (mode = 0; mode < 3; mode++)
      errors.push(await rejection(client.sendIlp(new Uint8Array([1]), 1000)));
    expect(errors.map((e) => (e as IlpError).code)).toEqual(['T01', 'F01', 'F02']);
    expect((errors[0] as Error).message).toBe(
      'peer answered BTP Error T00 UnreachableError: internal error',
    );
    expect((errors[1] as Error).message).toBe(
      'peer answered BTP Error F01 InvalidFieldsError: bad',
    );
  });

  it('answers T00 when a handler throws a BtpProtocolError that cannot be encoded', async () => {
    const { client, remote } = await link();
    remote.setIlpHandler(async () => {
      throw new BtpProtocolError('TOO LONG', 'x');
    });
    const error = (await rejection(client.sendIlp(new Uint8Array([1]), 1000))) as IlpError;
    expect(error.message).toBe('peer answered BTP Error T00 UnreachableError: internal error');
    expect(remote.incomingRequests).toBe(0);
  });

  it('treats an endless timeout as the longest timer, not as an immediate one', async () => {
    const { client, remote } = await link();
    remote.setIlpHandler(async (p) => {
      await sleep(30);
      return p;
    });
    await expect(client.sendIlp(new Uint8Array([4]), Infinity)).resolves.toEqual(
      new Uint8Array([4]),
    );
  });

  it('answers T00 when no ILP handler is set (T01 for the sender)', async () => {
    const { client } = await link();
    const error = (await rejection(client.sendIlp(new Uint8Array([1]), 1000))) as IlpError;
    expect(error.code).toBe('T01');
    expect(error.message).toMatch(/not ready/);
  });

  it('answers a handler result that is not bytes with T00', async () => {
    const { client, remote } = await link();
    remote.setIlpHandler(async () => 'nope' as unknown as Uint8Array);
    expect(((await rejection(client.sendIlp(new Uint8Array([1]), 1000))) as IlpError).code).toBe(
      'T01',
    );
    expect(remote.incomingRequests).toBe(0);
  });
});

describe('other sub-protocols and transfers', () => {
  it('routes non-ilp Messages to the message handler, refuses them (F00) without one', async () => {
    const { client, remote } = await link();
    const refused = (await rejection(
      client.sendMessage([textProtocolData('info', 'hi')], 1000),
    )) as BtpProtocolError;
    expect(refused).toBeInstanceOf(BtpProtocolError);
    expect(refused.code).toBe('F00');
    expect(refused.message).toMatch(/unsupported sub-protocol "info"/);
    remote.setMessageHandler(async (entries) => [
      textProtocolData('info', `re: ${entries.length}`),
    ]);
    await expect(client.sendMessage([textProtocolData('info', 'hi')], 1000)).resolves.toEqual([
      textProtocolData('info', 're: 1'),
    ]);
    const empty = (await rejection(client.sendMessage([], 1000))) as BtpProtocolError;
    expect(empty.code).toBe('F01');
  });

  it('applies Transfers through the transfer handler', async () => {
    const { client, remote } = await link();
    expect(((await rejection(client.sendTransfer(5n, [], 1000))) as BtpProtocolError).code).toBe(
      'F00',
    );
    const seen: bigint[] = [];
    remote.setTransferHandler(async (amount) => {
      if (amount > 100n)
        throw new BtpProtocolError(BtpErrorCode.F08_INSUFFICIENT_BALANCE, 'too much');
      seen.push(amount);
    });
    await expect(client.sendTransfer(7n, [], 1000)).resolves.toEqual([]);
    const refused = (await rejection(
      client.sendTransfer(2n ** 64n - 1n, [], 1000),
    )) as BtpProtocolError;
    expect(refused.code).toBe('F08');
    expect(refused.btpName).toBe('InsufficientBalanceError');
    expect(seen).toEqual([7n]);
  });
});

describe('request ids', () => {
  it('counts up from 1, wraps at 2^32 and skips ids still in flight', async () => {
    const { remote } = await link();
    const internals = remote as unknown as {
      nextRequestId: number;
      pending: Map<number, unknown>;
      allocateRequestId(): number;
    };
    internals.nextRequestId = 0xffff_fffe;
    internals.pending.set(0xffff_ffff, {});
    internals.pending.set(0, {});
    expect(internals.allocateRequestId()).toBe(0xffff_fffe);
    expect(internals.allocateRequestId()).toBe(1);
    expect(internals.allocateRequestId()).toBe(2);
    internals.pending.clear();
  });
});

describe('write batching', () => {
  it('sends all frames produced in one tick with one socket write', async () => {
    const { client, remote } = await link();
    client.setIlpHandler(async (p) => p);
    const socket = (
      remote as unknown as { ws: { _socket: Record<string, (...a: unknown[]) => unknown> } }
    ).ws._socket;
    const calls = { write: 0, writev: 0 };
    const write = socket._write.bind(socket);
    const writev = socket._writev.bind(socket);
    socket._write = (...args: unknown[]) => {
      calls.write++;
      return write(...args);
    };
    socket._writev = (...args: unknown[]) => {
      calls.writev++;
      return writev(...args);
    };
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => remote.sendIlp(u32(i), 5000)),
    );
    expect(answers).toHaveLength(200);
    expect(calls.write + calls.writev).toBeLessThanOrEqual(2);
  });
});

describe('keep-alive', () => {
  it('keeps a healthy idle link open', async () => {
    const { client, remote } = await link({ pingIntervalMs: 30, pongTimeoutMs: 30 });
    await sleep(300);
    expect(remote.isOpen).toBe(true);
    expect(client.isConnected).toBe(true);
  });

  it('terminates a peer that stops reading (no pong)', async () => {
    const { client, remote } = await link({ pingIntervalMs: 50, pongTimeoutMs: 50 });
    client.setIlpHandler(async (p) => p);
    const closed = new Promise((resolve) => remote.once('close', resolve));
    const pending = rejection(remote.sendIlp(new Uint8Array([1]), 30_000));
    // the client's socket stops reading: pings go unanswered, as with a dead peer
    const clientWs = (client.connection as unknown as { ws: { pause(): void; resume(): void } }).ws;
    clientWs.pause();
    const started = Date.now();
    expect(await closed).toMatchObject({ code: 1006 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(((await pending) as IlpError).code).toBe('T01');
    clientWs.resume(); // lets the client see the dead socket now
  });
});

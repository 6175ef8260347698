import { afterEach, describe, expect, it } from 'vitest';
import * as ILDCP from 'ilp-protocol-ildcp';
import {
  deserializeFulfill,
  deserializeIldcpResponse,
  deserializeReject,
  fromHex,
  IlpError,
  PEER_PROTOCOL_CONDITION,
  serializeIldcpRequest,
  serializePrepare,
} from '@tollgate/ilp-core';
import { Connector, ConnectorError, InMemoryBalanceJournal } from '@tollgate/connector';
import {
  ConnectorLink,
  connect,
  hex,
  loadVectors,
  ManualScheduler,
  prepare,
  unhex,
} from '../../test/helpers';

const started: Connector[] = [];
afterEach(() => {
  for (const c of started.splice(0)) c.stop();
});

function node(
  address: string,
  scheduler = new ManualScheduler(),
  assetCode = 'USD',
  assetScale = 2,
) {
  const connector = new Connector({
    address,
    assetCode,
    assetScale,
    journal: new InMemoryBalanceJournal(),
    scheduler,
  });
  started.push(connector);
  return connector;
}

const vectors = loadVectors<{
  vectors: { kind: string; hex: string }[];
  negative: { name: string; hex: string }[];
}>('ildcp.json');

describe('ILDCP server (peer.config)', () => {
  it('answers a child with <address>.<id> and the asset of its account (vector request, clock 2015-06-16)', async () => {
    const connector = node('test.tollgate');
    connector.addAccount({ id: 'alice', assetCode: 'USD', assetScale: 2, relation: 'child' });
    const request = vectors.vectors.find((v) => v.kind === 'ildcp-request')!;
    const reply = await connector.handlePacket('alice', unhex(request.hex));
    expect(deserializeIldcpResponse(reply)).toEqual({
      clientAddress: 'test.tollgate.alice',
      assetScale: 2,
      assetCode: 'USD',
    });
    expect(connector.getBalance('alice').balance).toBe(0n);
  });

  it('rejects the shared negative requests and non-children', async () => {
    const connector = node('test.tollgate');
    connector.addAccount({ id: 'alice', assetCode: 'USD', assetScale: 2, relation: 'child' });
    connector.addAccount({ id: 'bob', assetCode: 'USD', assetScale: 2, relation: 'peer' });
    const codes: string[] = [];
    for (const v of vectors.negative.filter((n) => n.name.startsWith('request'))) {
      const r = deserializeReject(await connector.handlePacket('alice', unhex(v.hex)));
      expect(r.triggeredBy).toBe('test.tollgate');
      codes.push(r.code);
    }
    // destination peer.bonfig → unknown peer protocol; wrong condition → F01; expired → R00
    expect(codes).toEqual(['F01', 'F01', 'R00']);
    const fromPeer = deserializeReject(
      await connector.handlePacket(
        'bob',
        serializeIldcpRequest({ now: new ManualScheduler().nowMs }),
      ),
    );
    expect(fromPeer.code).toBe('F00');
  });

  it('the reference client (ilp-protocol-ildcp fetch) gets our answer', async () => {
    const connector = node('test.tollgate', new ManualScheduler(Date.now()));
    connector.addAccount({ id: 'kid', assetCode: 'EUR', assetScale: 6, relation: 'child' });
    const info = await ILDCP.fetch(async (data) =>
      Buffer.from(await connector.handlePacket('kid', new Uint8Array(data))),
    );
    expect(info).toEqual({ clientAddress: 'test.tollgate.kid', assetScale: 6, assetCode: 'EUR' });
  });
});

describe('ILDCP client (requestAddressFrom)', () => {
  it('our client against our server: a child learns its address and can adopt it', async () => {
    const scheduler = new ManualScheduler();
    const parent = node('test.up', scheduler);
    const child = node('private.unconfigured', scheduler, 'USD', 2);
    parent.addAccount({ id: 'shop', assetCode: 'USD', assetScale: 2, relation: 'child' });
    child.addAccount({ id: 'upstream', assetCode: 'USD', assetScale: 2, relation: 'parent' });
    connect(parent, 'shop', child, 'upstream');
    const info = await child.requestAddressFrom('upstream');
    expect(info).toEqual({ clientAddress: 'test.up.shop', assetScale: 2, assetCode: 'USD' });
    child.setAddress(info.clientAddress);
    expect(child.address).toBe('test.up.shop');
    expect(child.resolveRoute('test.up.shop')?.source).toBe('local');
  });

  it('our client against the reference server (ilp-protocol-ildcp serve)', async () => {
    const child = node('private.x', new ManualScheduler(Date.now()));
    child.addAccount({ id: 'up', assetCode: 'XAM', assetScale: 13, relation: 'parent' });
    child.setLink('up', {
      connected: true,
      send: async (packet) =>
        new Uint8Array(
          await ILDCP.serve({
            requestPacket: Buffer.from(packet),
            handler: async () => ({
              clientAddress: 'example.client',
              assetScale: 13,
              assetCode: 'XAM',
            }),
            serverAddress: 'example.server',
          }),
        ),
    });
    expect(await child.requestAddressFrom('up')).toEqual({
      clientAddress: 'example.client',
      assetScale: 13,
      assetCode: 'XAM',
    });
  });

  it('reports a Reject or a bad fulfillment as ConnectorError, no link as T01', async () => {
    const scheduler = new ManualScheduler();
    const parent = node('test.up', scheduler);
    const child = node('private.x', scheduler);
    parent.addAccount({ id: 'c', assetCode: 'USD', assetScale: 2, relation: 'peer' });
    child.addAccount({ id: 'p', assetCode: 'USD', assetScale: 2, relation: 'parent' });
    await expect(child.requestAddressFrom('p')).rejects.toBeInstanceOf(IlpError);
    child.setLink('p', new ConnectorLink(parent, 'c'));
    await expect(child.requestAddressFrom('p')).rejects.toThrow(/F00/);
    const badFulfillment = vectors.negative.find((n) => n.name.startsWith('response'))!;
    child.setLink('p', { connected: true, send: async () => unhex(badFulfillment.hex) });
    await expect(child.requestAddressFrom('p')).rejects.toBeInstanceOf(ConnectorError);
  });
});

describe('peer.settle', () => {
  const settlePrepare = (now: number, condition = PEER_PROTOCOL_CONDITION) =>
    serializePrepare(
      prepare('peer.settle', 0n, condition, now + 30_000, new TextEncoder().encode('{"hello":1}')),
    );

  it('relays to the handler and returns its reply in a zero Fulfill; accepts both conditions', async () => {
    const scheduler = new ManualScheduler();
    const connector = node('test.a', scheduler);
    connector.addAccount({ id: 'peer', assetCode: 'USD', assetScale: 2, relation: 'peer' });
    const seen: string[] = [];
    connector.setPeerSettleHandler(async (id, message) => {
      seen.push(`${id}:${new TextDecoder().decode(message)}`);
      return new TextEncoder().encode('ok');
    });
    for (const condition of [
      PEER_PROTOCOL_CONDITION,
      fromHex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
    ]) {
      const fulfill = deserializeFulfill(
        await connector.handlePacket('peer', settlePrepare(scheduler.now(), condition)),
      );
      expect(hex(fulfill.fulfillment)).toBe('00'.repeat(32));
      expect(new TextDecoder().decode(fulfill.data)).toBe('ok');
    }
    expect(seen).toEqual(['peer:{"hello":1}', 'peer:{"hello":1}']);
  });

  it('errors are Rejects triggered by peer.settle; no handler → F02', async () => {
    const scheduler = new ManualScheduler();
    const connector = node('test.a', scheduler);
    connector.addAccount({ id: 'peer', assetCode: 'USD', assetScale: 2, relation: 'peer' });
    const none = deserializeReject(
      await connector.handlePacket('peer', settlePrepare(scheduler.now())),
    );
    expect([none.code, none.triggeredBy]).toEqual(['F02', 'peer.settle']);
    connector.setPeerSettleHandler(async () => {
      throw new IlpError('F00', 'engine said 400');
    });
    const bad = deserializeReject(
      await connector.handlePacket('peer', settlePrepare(scheduler.now())),
    );
    expect([bad.code, bad.triggeredBy, bad.message]).toEqual([
      'F00',
      'peer.settle',
      'engine said 400',
    ]);
    connector.setPeerSettleHandler(async () => {
      throw new Error('ECONNREFUSED');
    });
    const down = deserializeReject(
      await connector.handlePacket('peer', settlePrepare(scheduler.now())),
    );
    expect([down.code, down.triggeredBy]).toEqual(['T00', 'peer.settle']);
    expect(down.message).not.toContain('ECONNREFUSED');
    const expired = deserializeReject(
      await connector.handlePacket('peer', settlePrepare(scheduler.now() - 31_000)),
    );
    expect(expired.code).toBe('R00');
    const wrong = deserializeReject(
      await connector.handlePacket('peer', settlePrepare(scheduler.now(), new Uint8Array(32))),
    );
    expect(wrong.code).toBe('F01');
  });
});

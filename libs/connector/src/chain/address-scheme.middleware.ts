/**
 * Address scheme: RFC 34 keeps test money and real money apart. A node on the test network
 * (address `test.`, `test1.` … `test3.`) refuses `g.` destinations and a live node (`g.`)
 * refuses test destinations, with F02 Unreachable, before any credit is reserved for them.
 */
import { IlpError, IlpErrorCode, IlpReply } from '@tollgate/ilp-core';
import { NodeRuntime } from '../node-runtime';
import { PacketContext } from './packet-context';
import { PacketService } from './packet-service';

/** `test.`, `test1.`, `test2.`, `test3.` */
function isTestDestination(destination: string): boolean {
  if (!destination.startsWith('test')) return false;
  const c = destination.charCodeAt(4);
  return c === 0x2e || (c >= 0x31 && c <= 0x33 && destination.charCodeAt(5) === 0x2e);
}

export class AddressSchemeMiddleware implements PacketService {
  constructor(
    private readonly next: PacketService,
    private readonly runtime: NodeRuntime,
  ) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    const network = this.runtime.network;
    if (network !== 'other') {
      const destination = ctx.prepare.destination;
      const foreign =
        network === 'testnet' ? destination.startsWith('g.') : isTestDestination(destination);
      if (foreign) {
        throw new IlpError(
          IlpErrorCode.F02_UNREACHABLE,
          `${network === 'testnet' ? 'a testnet node cannot reach live-network (g.) addresses' : 'a live-network node cannot reach testnet addresses'}: ${destination}`,
        );
      }
    }
    return this.next.handle(ctx);
  }
}

/**
 * Settings shared by the connector's parts that can change while it runs: the node's
 * address (a parent may assign a new one over ILDCP), the network it is on, the FX spread
 * and the packet-timing parameters. One mutable object, read by reference on the hot path.
 */
import { assertIlpAddress, getScheme } from '@tollgate/ilp-core';
import { invalidConfig } from './errors';
import { ONE, parseDecimal, Rational, reduce } from './rates/rational';

/** RFC 34: a node is on the test network or the live one, never both. */
export type IlpNetwork = 'testnet' | 'livenet' | 'other';

export class NodeRuntime {
  address!: string;
  /** First segment of our address (`g`, `test`, …): CCP routes must be under it. */
  globalPrefix!: string;
  network!: IlpNetwork;
  /** 1 − spread, applied to every forwarded amount. */
  keepFraction: Rational = ONE;
  spread = '0';
  /** Bumped when anything that feeds cached exchange rates changes (spread, assets). */
  configVersion = 0;

  constructor(
    address: string,
    readonly assetCode: string,
    readonly assetScale: number,
    readonly minMessageWindowMs: number,
    readonly maxHoldTimeMs: number,
    readonly reflectPayments: boolean,
  ) {
    this.setAddress(address);
  }

  setAddress(address: string): void {
    try {
      assertIlpAddress(address, 'address');
    } catch (error) {
      throw invalidConfig((error as Error).message);
    }
    const scheme = getScheme(address);
    if (scheme === 'peer') throw invalidConfig('a node address cannot be under peer.');
    this.address = address;
    this.globalPrefix = scheme;
    this.network = scheme === 'g' ? 'livenet' : scheme.startsWith('test') ? 'testnet' : 'other';
  }

  /** Spread as a decimal fraction in [0, 1): "0.002" keeps 99.8 % of every forwarded amount. */
  setSpread(spread: string): void {
    const value = parseDecimal(spread, 'spread');
    if (value.numerator >= value.denominator) throw invalidConfig('spread must be less than 1');
    this.keepFraction = reduce(value.denominator - value.numerator, value.denominator);
    this.spread = spread;
    this.configVersion++;
  }
}

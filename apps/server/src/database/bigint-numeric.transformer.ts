/**
 * The one mapping between Postgres `numeric(20,0)` money columns and `bigint` in memory.
 * `pg` hands numerics over as exact decimal strings; a JavaScript number never holds money.
 */
import { ValueTransformer } from 'typeorm';

export const bigintNumeric: ValueTransformer = {
  to(value: bigint | null | undefined): string | null | undefined {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'bigint')
      throw new TypeError(`expected a bigint amount, got ${typeof value}`);
    return value.toString();
  },
  from(value: string | null): bigint | null {
    if (value === null) return null;
    // Integral numerics never carry a fraction; anything else is a schema bug worth failing on.
    return BigInt(value);
  },
};

/** class-validator rule for amount fields: a decimal string of integer base units. */
import { registerDecorator, ValidationOptions } from 'class-validator';
import { isAmountString } from './amount';

export interface IsAmountOptions {
  /** Allow a leading minus (balances and limits); default: unsigned UInt64. */
  signed?: boolean;
}

export function IsAmount(
  options: IsAmountOptions = {},
  validation?: ValidationOptions,
): PropertyDecorator {
  const signed = options.signed ?? false;
  return (target, propertyName) => {
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: signed
          ? `$property must be a string holding an integer amount in base units, between -18446744073709551615 and 18446744073709551615 (e.g. "-1000")`
          : `$property must be a string holding a non-negative integer amount in base units, at most 18446744073709551615 (e.g. "1000")`,
        ...validation,
      },
      validator: { validate: (value: unknown) => isAmountString(value, signed) },
    });
  };
}

/**
 * F08 Amount Too Large reject data (`InterledgerErrorData.asn` AmountTooLargeErrorData):
 * receivedAmount UInt64 ‖ maximumAmount UInt64, 16 bytes, both in the units of the
 * connector that rejected. Senders scale their next packet with it.
 */
import { Reader } from '../oer/reader';
import { Writer } from '../oer/writer';
import { DecodeOptions } from '../packet/ilp-packet-types';
import { IlpError, IlpErrorCode } from './ilp-error-codes';

export const AMOUNT_TOO_LARGE_DATA_LENGTH = 16;

export interface AmountTooLargeData {
  receivedAmount: bigint;
  maximumAmount: bigint;
}

export function serializeAmountTooLargeData(value: AmountTooLargeData): Uint8Array {
  const writer = new Writer(AMOUNT_TOO_LARGE_DATA_LENGTH);
  writer.writeUInt64(value.receivedAmount, 'receivedAmount');
  writer.writeUInt64(value.maximumAmount, 'maximumAmount');
  return writer.finish();
}

/**
 * Decodes F08 data. Strict by default (exactly 16 bytes); `allowTrailingBytes` accepts
 * longer data as the JS reference does. Throws only CodecError.
 */
export function deserializeAmountTooLargeData(
  data: Uint8Array,
  options?: DecodeOptions,
): AmountTooLargeData {
  const reader = new Reader(data);
  const receivedAmount = reader.readUInt64('receivedAmount');
  const maximumAmount = reader.readUInt64('maximumAmount');
  if (options?.allowTrailingBytes !== true) reader.assertEnd('AmountTooLarge data');
  return { receivedAmount, maximumAmount };
}

/** An F08 IlpError with the AmountTooLarge data filled in. */
export function amountTooLargeError(
  receivedAmount: bigint,
  maximumAmount: bigint,
  message = `packet amount too large. maxAmount=${maximumAmount} actualAmount=${receivedAmount}`,
): IlpError {
  return new IlpError(IlpErrorCode.F08_AMOUNT_TOO_LARGE, message, {
    data: serializeAmountTooLargeData({ receivedAmount, maximumAmount }),
  });
}

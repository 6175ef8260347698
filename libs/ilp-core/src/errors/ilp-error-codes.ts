/**
 * ILP error codes (RFC 27 §"Error Codes"), the typed {@link IlpError} that packet handlers
 * throw, and {@link rejectFrom}, the one place that turns any thrown value into a Reject.
 * First letter: F final (do not retry unchanged), T temporary (retry later), R relative
 * (retry with more amount or time).
 */
import { EMPTY_BYTES } from '../oer/bytes';
import {
  checkAddress,
  checkData,
  isValidErrorCodeString,
  MAX_MESSAGE_LENGTH,
} from '../packet/field-checks';
import { IlpPacketType, IlpReject } from '../packet/ilp-packet-types';
import { CodecError, CodecErrorCode } from './codec-error';

export enum IlpErrorCode {
  F00_BAD_REQUEST = 'F00',
  F01_INVALID_PACKET = 'F01',
  F02_UNREACHABLE = 'F02',
  F03_INVALID_AMOUNT = 'F03',
  F04_INSUFFICIENT_DESTINATION_AMOUNT = 'F04',
  F05_WRONG_CONDITION = 'F05',
  F06_UNEXPECTED_PAYMENT = 'F06',
  F07_CANNOT_RECEIVE = 'F07',
  F08_AMOUNT_TOO_LARGE = 'F08',
  F99_APPLICATION_ERROR = 'F99',
  T00_INTERNAL_ERROR = 'T00',
  T01_PEER_UNREACHABLE = 'T01',
  T02_PEER_BUSY = 'T02',
  T03_CONNECTOR_BUSY = 'T03',
  T04_INSUFFICIENT_LIQUIDITY = 'T04',
  T05_RATE_LIMITED = 'T05',
  T99_APPLICATION_ERROR = 'T99',
  R00_TRANSFER_TIMED_OUT = 'R00',
  R01_INSUFFICIENT_SOURCE_AMOUNT = 'R01',
  R02_INSUFFICIENT_TIMEOUT = 'R02',
  R99_APPLICATION_ERROR = 'R99',
}

/** RFC 27 names of the known codes. */
export const ILP_ERROR_NAMES: Readonly<Record<IlpErrorCode, string>> = {
  F00: 'Bad Request',
  F01: 'Invalid Packet',
  F02: 'Unreachable',
  F03: 'Invalid Amount',
  F04: 'Insufficient Destination Amount',
  F05: 'Wrong Condition',
  F06: 'Unexpected Payment',
  F07: 'Cannot Receive',
  F08: 'Amount Too Large',
  F99: 'Application Error',
  T00: 'Internal Error',
  T01: 'Peer Unreachable',
  T02: 'Peer Busy',
  T03: 'Connector Busy',
  T04: 'Insufficient Liquidity',
  T05: 'Rate Limited',
  T99: 'Application Error',
  R00: 'Transfer Timed Out',
  R01: 'Insufficient Source Amount',
  R02: 'Insufficient Timeout',
  R99: 'Application Error',
};

export type IlpErrorClass = 'final' | 'temporary' | 'relative';

/** True for the 21 codes RFC 27 defines (F00–F08, F99, T00–T05, T99, R00–R02, R99). */
export function isIlpErrorCode(code: unknown): code is IlpErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ILP_ERROR_NAMES, code);
}

/** final / temporary / relative from the first letter; undefined for a malformed code. */
export function ilpErrorClass(code: string): IlpErrorClass | undefined {
  if (!isValidErrorCodeString(code)) return undefined;
  return code[0] === 'F' ? 'final' : code[0] === 'T' ? 'temporary' : 'relative';
}

export interface IlpErrorOptions {
  /** Overrides the address `rejectFrom` would otherwise use (e.g. relaying a downstream error). */
  triggeredBy?: string;
  /** Reject data (F08: AmountTooLarge data). At most 32767 bytes. */
  data?: Uint8Array;
  cause?: unknown;
}

/**
 * An expected failure of a packet, carrying the ILP code the sender will see. Connector
 * rules throw it; {@link rejectFrom} turns it into a Reject. Other codes than the known
 * ones are allowed if they have the F/T/R + two characters shape (e.g. application codes).
 */
export class IlpError extends Error {
  override readonly name = 'IlpError';
  readonly triggeredBy?: string;
  readonly data: Uint8Array;

  constructor(
    readonly code: IlpErrorCode | string,
    message: string,
    options: IlpErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!isValidErrorCodeString(code)) {
      throw new CodecError(
        CodecErrorCode.InvalidErrorCode,
        `IlpError code ${JSON.stringify(code)}`,
      );
    }
    if (options.triggeredBy !== undefined) checkAddress(options.triggeredBy, 'triggeredBy', true);
    const data = options.data ?? EMPTY_BYTES;
    checkData(data);
    this.triggeredBy = options.triggeredBy;
    this.data = data;
  }
}

export function isIlpError(error: unknown): error is IlpError {
  return error instanceof IlpError;
}

/**
 * Cuts `message` to at most 8191 bytes of UTF-8 on a character boundary and replaces lone
 * surrogates with U+FFFD, so any error text can go into a Reject.
 */
export function toRejectMessage(message: string): string {
  let bytes = 0;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    let size: number;
    let lone = false;
    if (c < 0x80) size = 1;
    else if (c < 0x800) size = 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = message.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) size = 4;
      else {
        size = 3;
        lone = true;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      size = 3;
      lone = true;
    } else size = 3;
    if (bytes + size > MAX_MESSAGE_LENGTH) {
      return out + message.slice(runStart, i);
    }
    bytes += size;
    if (lone) {
      out += message.slice(runStart, i) + '\ufffd';
      runStart = i + 1;
    } else if (size === 4) {
      i++;
    }
  }
  return out + message.slice(runStart);
}

export interface RejectFromOptions {
  /** Code for anything that is not an IlpError (default T00 Internal Error). */
  fallbackCode?: IlpErrorCode;
  /**
   * Put the message of a non-IlpError into the Reject (default false: internal error text
   * does not leave the node, the Reject says only the code's name).
   */
  exposeMessage?: boolean;
}

/**
 * Builds a Reject for a thrown value: an {@link IlpError} keeps its code, message, data
 * and triggeredBy; a CodecError becomes F01 Invalid Packet; anything else becomes
 * `fallbackCode` (T00). The message is trimmed to fit. `triggeredBy` is this node's address.
 */
export function rejectFrom(
  error: unknown,
  triggeredBy: string,
  options: RejectFromOptions = {},
): IlpReject {
  checkAddress(triggeredBy, 'triggeredBy', true);
  if (error instanceof IlpError) {
    return {
      type: IlpPacketType.Reject,
      code: error.code,
      triggeredBy: error.triggeredBy ?? triggeredBy,
      message: toRejectMessage(error.message),
      data: error.data,
    };
  }
  if (error instanceof CodecError) {
    return {
      type: IlpPacketType.Reject,
      code: IlpErrorCode.F01_INVALID_PACKET,
      triggeredBy,
      message: toRejectMessage(error.message),
      data: EMPTY_BYTES,
    };
  }
  const code = options.fallbackCode ?? IlpErrorCode.T00_INTERNAL_ERROR;
  const message =
    options.exposeMessage && error instanceof Error ? error.message : ILP_ERROR_NAMES[code];
  return {
    type: IlpPacketType.Reject,
    code,
    triggeredBy,
    message: toRejectMessage(message),
    data: EMPTY_BYTES,
  };
}

/** Expected failures of the paid-content domain, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum ContentErrorCode {
  UnknownContent = 'unknown_content',
  SlugTaken = 'content_slug_taken',
  InvalidContent = 'invalid_content',
  UnknownSession = 'unknown_session',
  SessionTokenRequired = 'session_token_required',
  InvalidSessionToken = 'invalid_session_token',
  /** Not base64, not 58 bytes, or a receipt version other than 1. */
  MalformedReceipt = 'receipt_malformed',
  /** The HMAC does not match the secret of the receipt's nonce: forged or corrupted. */
  ForgedReceipt = 'receipt_invalid_hmac',
  /** A nonce this node never handed out. */
  UnknownReceiptNonce = 'receipt_unknown_nonce',
  /** A genuine receipt, but for another session's connection. */
  ReceiptOtherSession = 'receipt_other_session',
  /** Not above the highest total already counted for its nonce and stream: a replay. */
  ReceiptReplayed = 'receipt_replayed',
}

const STATUS: Record<ContentErrorCode, HttpStatus> = {
  [ContentErrorCode.UnknownContent]: HttpStatus.NOT_FOUND,
  [ContentErrorCode.SlugTaken]: HttpStatus.CONFLICT,
  [ContentErrorCode.InvalidContent]: HttpStatus.BAD_REQUEST,
  [ContentErrorCode.UnknownSession]: HttpStatus.NOT_FOUND,
  [ContentErrorCode.SessionTokenRequired]: HttpStatus.UNAUTHORIZED,
  [ContentErrorCode.InvalidSessionToken]: HttpStatus.UNAUTHORIZED,
  [ContentErrorCode.MalformedReceipt]: HttpStatus.BAD_REQUEST,
  [ContentErrorCode.ForgedReceipt]: HttpStatus.BAD_REQUEST,
  [ContentErrorCode.UnknownReceiptNonce]: HttpStatus.BAD_REQUEST,
  [ContentErrorCode.ReceiptOtherSession]: HttpStatus.CONFLICT,
  [ContentErrorCode.ReceiptReplayed]: HttpStatus.CONFLICT,
};

export class ContentError extends DomainError<ContentErrorCode> {
  constructor(code: ContentErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}

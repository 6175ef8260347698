/**
 * The base of every module's domain error: a machine-readable `code` from the module's enum,
 * its HTTP status from the module's exhaustive map, a message for people, and optional
 * per-field `details`. The global filter answers `{ statusCode, error, code, message, details? }`.
 */
import { HttpException, HttpStatus } from '@nestjs/common';

export abstract class DomainError<Code extends string> extends HttpException {
  protected constructor(
    readonly code: Code,
    status: HttpStatus,
    message: string,
    details?: unknown,
  ) {
    super(details === undefined ? { message, code } : { message, code, details }, status);
  }
}

/** The one error type of the SPSP library: a code to branch on and a message for people. */
export enum SpspErrorCode {
  InvalidPointer = 'invalid_pointer',
  /** The receiver does not exist (HTTP 404). */
  NotFound = 'not_found',
  /** Any other non-2xx answer. */
  Http = 'http',
  /** The body is not an SPSP response (bad JSON, bad address, secret not 32 bytes…). */
  InvalidResponse = 'invalid_response',
  /** No answer: DNS, refused connection, timeout. */
  Network = 'network',
}

export class SpspError extends Error {
  override readonly name = 'SpspError';
  constructor(
    readonly code: SpspErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

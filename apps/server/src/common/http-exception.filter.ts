/**
 * One error body for every failure, so REST clients parse errors one way:
 * `{ statusCode, error, message, details? }`. Validation errors name each bad field in
 * `details`. Unexpected errors are logged in full and answered with a generic 500: internals
 * never leak to the client.
 */
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';

export interface ErrorBody {
  statusCode: number;
  error: string;
  /** Machine-readable reason, for domain errors (e.g. `idempotency_conflict`). */
  code?: string;
  message: string;
  details?: unknown;
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception);
    if (!res.headersSent) res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const error = HttpStatus[statusCode]?.replace(/_/g, ' ').toLowerCase() ?? 'error';
      if (typeof response === 'string') return { statusCode, error, message: response };
      const r = response as { message?: unknown; details?: unknown; code?: unknown };
      const message = Array.isArray(r.message)
        ? r.message.join('; ')
        : String(r.message ?? exception.message);
      const body: ErrorBody = { statusCode, error, message };
      if (typeof r.code === 'string') body.code = r.code;
      if (r.details !== undefined) body.details = r.details;
      return body;
    }
    return { statusCode: 500, error: 'internal server error', message: 'internal server error' };
  }
}

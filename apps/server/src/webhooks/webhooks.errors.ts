/** Expected failures of the webhooks domain, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum WebhookErrorCode {
  UnknownEndpoint = 'unknown_webhook',
  UnknownDelivery = 'unknown_delivery',
  TooManyEndpoints = 'too_many_webhooks',
  InvalidWebhook = 'invalid_webhook',
}

const STATUS: Record<WebhookErrorCode, HttpStatus> = {
  [WebhookErrorCode.UnknownEndpoint]: HttpStatus.NOT_FOUND,
  [WebhookErrorCode.UnknownDelivery]: HttpStatus.NOT_FOUND,
  [WebhookErrorCode.TooManyEndpoints]: HttpStatus.CONFLICT,
  [WebhookErrorCode.InvalidWebhook]: HttpStatus.BAD_REQUEST,
};

export class WebhookError extends DomainError<WebhookErrorCode> {
  constructor(code: WebhookErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}

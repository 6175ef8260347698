/** `POST /api/webhooks` and `POST /api/admin/webhooks`. */
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhook-types';

export class CreateWebhookDto {
  /** Where events are POSTed: an http:// or https:// URL. */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http:// or https:// URL' },
  )
  @MaxLength(2000)
  url!: string;

  /** Event types to receive; omitted or empty: all of them. */
  @IsOptional()
  @IsArray({ message: 'events must be an array of event types' })
  @ArrayUnique({ message: 'events must not repeat a type' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, {
    each: true,
    message: `events must only hold known event types: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  })
  events?: WebhookEventType[];
}

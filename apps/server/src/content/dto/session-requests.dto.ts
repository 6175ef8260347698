/** Bodies of the reader's session routes. */
import { IsBoolean, IsString, MaxLength } from 'class-validator';

export class HeartbeatDto {
  /** false when the page is hidden (time stops counting), true when it is read again. */
  @IsBoolean()
  visible!: boolean;
}

export class PostReceiptDto {
  /** A STREAM receipt (RFC 39, 58 bytes) in base64, as a `monetization` event carries it. */
  @IsString()
  @MaxLength(200)
  receipt!: string;
}

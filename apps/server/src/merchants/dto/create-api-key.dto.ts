/** `POST /api/keys`: another key for the calling merchant. */
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  /** A label for people, e.g. "checkout server". */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

/** `POST /api/content` and `PATCH /api/content/:id`. */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PricingDto } from './pricing.dto';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const SLUG_MESSAGE = 'slug must be 1 to 64 lower-case letters, digits or inner hyphens';

export class CreateContentDto {
  /** Unique among the merchant's articles; part of the reading page's address. */
  @IsString()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  slug!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;

  /** Free paragraphs, shown to everyone (at most 50, each up to 20 000 characters). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(20_000, { each: true })
  teaser?: string[];

  /** Paid paragraphs (at most 500, each up to 20 000 characters). */
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(20_000, { each: true })
  paragraphs!: string[];

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PricingDto)
  pricing!: PricingDto;

  /**
   * Optional payment pointer (`$wallet.example/alice`) or SPSP URL of a wallet hosted
   * elsewhere that receives this article's money; its receipts (RFC 39) prove the payments.
   */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  externalPointer?: string;
}

/** Every field optional; `externalPointer: null` goes back to this node's own pointer. */
export class UpdateContentDto {
  @ValidateIf((o: UpdateContentDto) => o.slug !== undefined)
  @IsString()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  slug?: string;

  @ValidateIf((o: UpdateContentDto) => o.title !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ValidateIf((o: UpdateContentDto) => o.teaser !== undefined)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(20_000, { each: true })
  teaser?: string[];

  @ValidateIf((o: UpdateContentDto) => o.paragraphs !== undefined)
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(20_000, { each: true })
  paragraphs?: string[];

  /** Applies to sessions started afterwards; running sessions keep the price they began with. */
  @ValidateIf((o: UpdateContentDto) => o.pricing !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => PricingDto)
  pricing?: PricingDto;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  externalPointer?: string | null;
}

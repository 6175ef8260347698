/** `POST /api/admin/accounts` (the stable contract in DESIGN.md, plus optional extensions). */
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsAmount } from '../../common/money/is-amount.decorator';

export class RateLimitDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  packetsPerSecond?: number;

  @IsOptional()
  @IsAmount()
  amountPerSecond?: string;
}

export class CreateAccountDto {
  /** Also the account's ILP address segment for children: `<node address>.<id>`. */
  @IsString()
  @Matches(/^[A-Za-z0-9_~-]{1,64}$/, {
    message:
      'id must be 1 to 64 characters of A-Z a-z 0-9 _ ~ - (it becomes an ILP address segment)',
  })
  id!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9]{1,12}$/, {
    message: 'assetCode must be 1 to 12 letters or digits, such as USD',
  })
  assetCode!: string;

  @IsInt({ message: 'assetScale must be an integer from 0 to 255' })
  @Min(0, { message: 'assetScale must be an integer from 0 to 255' })
  @Max(255, { message: 'assetScale must be an integer from 0 to 255' })
  assetScale!: number;

  @IsIn(['child', 'peer', 'parent'])
  relation!: 'child' | 'peer' | 'parent';

  @IsIn(['btp', 'http'])
  link!: 'btp' | 'http';

  /** The token the peer presents to us (BTP auth_token or HTTP bearer). Stored hashed. */
  @IsOptional()
  @IsString()
  @MinLength(16, {
    message: 'incomingToken must be at least 16 characters (use a long random value)',
  })
  @MaxLength(512)
  incomingToken?: string;

  /** Where we reach the peer: ws(s):// or btp+ws(s):// for BTP, http(s):// for ILP-over-HTTP. */
  @IsOptional()
  @IsString()
  @Matches(/^(btp\+)?wss?:\/\/\S+$|^https?:\/\/\S+$/, {
    message: 'outgoingUrl must be a ws://, wss://, btp+ws://, btp+wss://, http:// or https:// URL',
  })
  @MaxLength(2048)
  outgoingUrl?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  outgoingToken?: string;

  @IsOptional()
  @IsAmount()
  maxPacketAmount?: string;

  /** Credit limit: how far the peer may go into debt to us (usually "0" or negative). */
  @IsOptional()
  @IsAmount({ signed: true })
  minBalance?: string;

  /** How much we are willing to owe the peer. */
  @IsOptional()
  @IsAmount({ signed: true })
  maxBalance?: string;

  @IsOptional()
  @IsAmount({ signed: true })
  settleThreshold?: string;

  @IsOptional()
  @IsAmount({ signed: true })
  settleTo?: string;

  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/\S+$/, {
    message: 'settlementEngineUrl must be an http:// or https:// URL',
  })
  settlementEngineUrl?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto;

  @IsOptional()
  @IsBoolean()
  sendRoutes?: boolean;

  @IsOptional()
  @IsBoolean()
  receiveRoutes?: boolean;
}

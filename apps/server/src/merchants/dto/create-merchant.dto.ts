/** `POST /api/admin/merchants` (the stable contract in DESIGN.md). */
import { IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateMerchantDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, {
    message:
      'slug must be 1 to 48 lower-case letters, digits or inner hyphens (it is the payment pointer path)',
  })
  slug!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9]{1,12}$/, {
    message: 'assetCode must be 1 to 12 letters or digits, such as USD',
  })
  assetCode!: string;

  @IsInt({ message: 'assetScale must be an integer from 0 to 255' })
  @Min(0, { message: 'assetScale must be an integer from 0 to 255' })
  @Max(255, { message: 'assetScale must be an integer from 0 to 255' })
  assetScale!: number;
}

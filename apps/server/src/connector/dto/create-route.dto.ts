/** `POST /api/admin/routes`: send everything under `prefix` to `accountId`. */
import { IsString, Matches, MaxLength } from 'class-validator';

export class CreateRouteDto {
  @IsString()
  @MaxLength(1023)
  @Matches(/^(g|private|example|peer|self|test[1-3]?|local)([.][A-Za-z0-9_~-]+)*$/, {
    message: 'prefix must be an ILP address prefix such as test.peer or g.example',
  })
  prefix!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_~-]{1,64}$/, { message: 'accountId must be an existing account id' })
  accountId!: string;
}

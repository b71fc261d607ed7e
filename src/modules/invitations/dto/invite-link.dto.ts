import { IsInt, Max, Min } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';

export class CreateInviteLinkDto {
  /** How many craftsmen may use it; default 10. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxUses?: number;

  /** Default 30. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(90)
  expiresInDays?: number;
}

export class InviteLinkResponseDto {
  id!: string;
  /** The link to share; it carries the token. */
  url?: string;
  /** Only in the answer that created it: only its hash is stored. */
  token?: string;
  expiresAt!: Date;
  maxUses!: number;
  uses!: number;
  revoked!: boolean;
}

import { IsBoolean, IsEnum, IsString, MaxLength } from 'class-validator';
import { Role } from '../../../common/auth/role.js';
import { BooleanQuery } from '../../../common/validation/boolean-query.decorator.js';
import { PaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { Optional } from '../../../common/validation/optional.decorator.js';

export class AdminUsersQueryDto extends PaginationQueryDto {
  @Optional()
  @IsEnum(Role)
  role?: Role;

  /** A prefix of the email, first or last name; case-insensitive. */
  @Optional()
  @IsString()
  @MaxLength(254)
  q?: string;

  @Optional()
  @BooleanQuery()
  @IsBoolean()
  banned?: boolean;
}

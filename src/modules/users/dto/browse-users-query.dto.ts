import { IsBoolean, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { BooleanQuery } from '../../../common/validation/boolean-query.decorator.js';
import { NearPaginationQueryDto } from '../../../common/geo/near-query.dto.js';
import { Optional } from '../../../common/validation/optional.decorator.js';

export class BrowseUsersQueryDto extends NearPaginationQueryDto {
  /** Only craftsmen can be browsed. */
  @Optional()
  @IsIn(['craftsman'])
  role?: 'craftsman';

  /** A service name from the catalog, e.g. `Plumbing`. */
  @Optional()
  @IsString()
  @MaxLength(60)
  skill?: string;

  /** Typeahead: a prefix of the first or last name, or "first last" prefixes; case-insensitive. */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  q?: string;

  @Optional()
  @BooleanQuery()
  @IsBoolean()
  available?: boolean;

  /** Only craftsmen whose documents an admin approved. */
  @Optional()
  @BooleanQuery()
  @IsBoolean()
  verified?: boolean;
}

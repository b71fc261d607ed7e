import { Type } from 'class-transformer';
import { IsLatitude, IsLongitude, IsNumber, Max, Min, ValidateIf } from 'class-validator';
import { PaginationQueryDto } from '../pagination/pagination-query.dto.js';
import { Optional } from '../validation/optional.decorator.js';

const eitherGiven = (query: NearPaginationQueryDto) =>
  query.lat !== undefined || query.lng !== undefined;

/** A paginated list that can also be searched around a point: `?lat&lng&radiusKm`, nearest first. */
export class NearPaginationQueryDto extends PaginationQueryDto {
  /** With `lng` (and optionally `radiusKm`): nearest first. */
  @ValidateIf(eitherGiven)
  @Type(() => Number)
  @IsLatitude()
  lat?: number;

  @ValidateIf(eitherGiven)
  @Type(() => Number)
  @IsLongitude()
  lng?: number;

  /** Within this distance of `lat,lng`; default 25 km. */
  @Optional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.1)
  @Max(500)
  radiusKm?: number;
}

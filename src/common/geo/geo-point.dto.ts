import { IsLatitude, IsLongitude } from 'class-validator';

export class GeoPointDto {
  /** Latitude, -90..90. */
  @IsLatitude()
  lat!: number;

  /** Longitude, -180..180. */
  @IsLongitude()
  lng!: number;
}

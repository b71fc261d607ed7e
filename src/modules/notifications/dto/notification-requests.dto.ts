import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsMongoId,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CursorPaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { BooleanQuery } from '../../../common/validation/boolean-query.decorator.js';
import { Trim } from '../../../common/validation/trim.decorator.js';
import { DevicePlatform } from '../schemas/device-token.schema.js';
import { Optional } from '../../../common/validation/optional.decorator.js';

export class ListNotificationsQueryDto extends CursorPaginationQueryDto {
  /** Only the unread ones. */
  @Optional()
  @BooleanQuery()
  @IsBoolean()
  unread?: boolean;
}

/** `ids` or `all: true`. */
export class MarkReadDto {
  @Optional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsMongoId({ each: true })
  ids?: string[];

  @Optional()
  @IsBoolean()
  all?: boolean;
}

/** The longest device token taken, in characters (FCM's are ~160; APNs and web push differ). */
export const DEVICE_TOKEN_MAX_LENGTH = 4096;

export class RegisterDeviceDto {
  /** The FCM registration token of the device. */
  @Trim()
  @IsString()
  @MinLength(10)
  @MaxLength(DEVICE_TOKEN_MAX_LENGTH)
  token!: string;

  @IsEnum(DevicePlatform)
  platform!: DevicePlatform;
}

export class DeviceResponseDto {
  token!: string;
  platform!: DevicePlatform;
  createdAt!: Date;
}

export class ChannelPreferencesDto {
  /** Shown live in the app (always stored in the list). */
  @IsBoolean()
  inApp!: boolean;

  @IsBoolean()
  push!: boolean;

  @IsBoolean()
  email!: boolean;
}

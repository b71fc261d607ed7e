import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../../common/validation/trim.decorator.js';

export enum LoginType {
  /** Clients and craftsmen (the marketplace apps). */
  Clients = 'clients',
  /** Admins and moderators (the back office). */
  Admins = 'admins',
}

export class LoginDto {
  /** The account's email or phone number. */
  @Trim()
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  loginIdentifier!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;

  @IsIn([LoginType.Clients, LoginType.Admins])
  type!: LoginType;
}

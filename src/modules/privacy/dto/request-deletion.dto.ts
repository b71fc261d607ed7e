import { IsString, MaxLength, MinLength } from 'class-validator';

/** `POST /users/me/deletion`: the account's password, asked again. */
export class RequestDeletionDto {
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}

/** `202` to `POST /users/me/deletion`. */
export class DeletionScheduledDto {
  /**
   * When the account will be anonymised: DELETION_GRACE (14 days by default) after the first
   * request; asking again answers the same instant. Cancel before it with
   * `DELETE /users/me/deletion`.
   */
  scheduledFor!: Date;
}

/** `DELETE /users/me/deletion`: the scheduled deletion is called off. */
export class DeletionCancelledDto {
  cancelled!: true;
}

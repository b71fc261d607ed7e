import { Role } from '../../../common/auth/role.js';
import type { UserEntity } from '../schemas/user.schema.js';
import { CraftsmanInfoResponseDto } from './user-response.dto.js';

/** A user as admins and moderators see it: contact details and ban state, never secrets. */
export class AdminUserResponseDto {
  id!: string;
  email!: string;
  emailVerified!: boolean;
  /** E.164, e.g. `+201001234567`. */
  phone?: string;
  role!: Role;
  firstName!: string;
  lastName!: string;
  rating!: number;
  ratingCount!: number;
  craftsmanInfo?: CraftsmanInfoResponseDto;
  banned!: boolean;
  bannedAt!: Date | null;
  banReason?: string;
  createdAt!: Date;

  static from(user: UserEntity): AdminUserResponseDto {
    return {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerified === true,
      phone: user.phone,
      role: user.role,
      firstName: user.firstName,
      lastName: user.lastName,
      rating: user.rating,
      ratingCount: user.ratingCount,
      craftsmanInfo: user.craftsmanInfo
        ? CraftsmanInfoResponseDto.from(user.craftsmanInfo)
        : undefined,
      banned: user.bannedAt !== null,
      bannedAt: user.bannedAt,
      banReason: user.banReason,
      createdAt: user.createdAt,
    };
  }
}

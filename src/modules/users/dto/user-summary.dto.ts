import { Role } from '../../../common/auth/role.js';
import type { UserSummary } from '../users.repository.js';

/** A user as other resources embed him (job's client, hired craftsman, quote's craftsman). */
export class UserSummaryDto {
  id!: string;
  role!: Role;
  firstName!: string;
  lastName!: string;
  profilePicture?: string;
  rating!: number;
  ratingCount!: number;

  static from(user: UserSummary): UserSummaryDto {
    return {
      id: user.id,
      role: user.role,
      firstName: user.firstName,
      lastName: user.lastName,
      profilePicture: user.profilePicture,
      rating: user.rating,
      ratingCount: user.ratingCount,
    };
  }
}

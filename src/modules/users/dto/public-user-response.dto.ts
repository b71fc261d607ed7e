import { Role } from '../../../common/auth/role.js';
import { type UserEntity, VerificationStatus } from '../schemas/user.schema.js';

export class PublicCraftsmanInfoDto {
  skills!: string[];
  bio!: string;
  verificationStatus!: VerificationStatus;
  available!: boolean;
  serviceRadiusKm!: number;
  portfolioImageUrls!: string[];
}

/** What anyone signed in may see of a user: no email, phone, address, location or tokens. */
export class PublicUserResponseDto {
  id!: string;
  role!: Role;
  firstName!: string;
  lastName!: string;
  profilePicture?: string;
  rating!: number;
  ratingCount!: number;
  /** Craftsmen only. */
  craftsmanInfo?: PublicCraftsmanInfoDto;
  createdAt!: Date;

  static from(user: UserEntity): PublicUserResponseDto {
    const info = user.craftsmanInfo;
    return {
      id: user.id,
      role: user.role,
      firstName: user.firstName,
      lastName: user.lastName,
      profilePicture: user.profilePicture,
      rating: user.rating,
      ratingCount: user.ratingCount,
      craftsmanInfo: info
        ? {
            skills: info.skills,
            bio: info.bio,
            verificationStatus: info.verificationStatus,
            available: info.available,
            serviceRadiusKm: info.serviceRadiusKm,
            portfolioImageUrls: info.portfolioImageUrls,
          }
        : undefined,
      createdAt: user.createdAt,
    };
  }
}

/** A craftsman in browse results: his public profile and, when searching near a point, how far. */
export class CraftsmanListItemDto extends PublicUserResponseDto {
  /**
   * Kilometres from `lat,lng`, when given: measured from the ~1 km grid cell of his (hidden)
   * location and rounded up to 0.5 km steps, so searches can't locate him more precisely.
   */
  distanceKm?: number;
}

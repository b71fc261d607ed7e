import { Role } from '../../../common/auth/role.js';
import type { CraftsmanInfoEntity, UserEntity } from '../schemas/user.schema.js';
import { VerificationDocResponseDto } from './user-response.dto.js';
import { VerificationStatus } from '../schemas/user.schema.js';

/**
 * A craftsman's profile as staff see it. The verification documents and the details of their
 * review are for admins only, the role that reviews them (POST /admin/verifications/...).
 */
export class StaffCraftsmanInfoDto {
  skills!: string[];
  bio!: string;
  serviceRadiusKm!: number;
  available!: boolean;
  portfolioImageUrls!: string[];
  verificationStatus!: VerificationStatus;
  /** Admins only. */
  verificationDocs?: VerificationDocResponseDto[];
  /** Admins only. */
  verificationSubmittedAt?: Date;
  /** Admins only. */
  verificationRejectionReason?: string;
}

/**
 * The disputes a user opened and how they ended (`GET /admin/users`), to spot abuse: `won` were
 * resolved for his side (a refund to the client who opened it, a release to the craftsman who
 * did), `lost` for the other side, `other` a split or no payment; `open` are not resolved yet.
 */
export class UserDisputeCountsDto {
  opened!: number;
  open!: number;
  won!: number;
  lost!: number;
  other!: number;
}

/**
 * A user as admins and moderators see it: ban state and what identifies the account, never
 * secrets. What a role sees follows what it acts on: moderators ban and unban, so they get the
 * email (the list searches by it) and the ban state, but neither the phone nor the verification
 * documents, which only admins review.
 */
export class AdminUserResponseDto {
  id!: string;
  email!: string;
  emailVerified!: boolean;
  /** E.164, e.g. `+201001234567`; admins only. */
  phone?: string;
  role!: Role;
  firstName!: string;
  lastName!: string;
  rating!: number;
  ratingCount!: number;
  craftsmanInfo?: StaffCraftsmanInfoDto;
  banned!: boolean;
  bannedAt!: Date | null;
  banReason?: string;
  /** The disputes he opened and their outcomes (GET /admin/users). */
  disputes?: UserDisputeCountsDto;
  createdAt!: Date;

  /** `user` as staff of role `viewer` may see him (admins: all of the above). */
  static from(user: UserEntity, viewer: Role): AdminUserResponseDto {
    const admin = viewer === Role.Admin;
    return {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerified === true,
      phone: admin ? user.phone : undefined,
      role: user.role,
      firstName: user.firstName,
      lastName: user.lastName,
      rating: user.rating,
      ratingCount: user.ratingCount,
      craftsmanInfo: user.craftsmanInfo ? staffCraftsmanInfo(user.craftsmanInfo, admin) : undefined,
      banned: user.bannedAt !== null,
      bannedAt: user.bannedAt,
      banReason: user.banReason,
      createdAt: user.createdAt,
    };
  }
}

function staffCraftsmanInfo(info: CraftsmanInfoEntity, admin: boolean): StaffCraftsmanInfoDto {
  const shared: StaffCraftsmanInfoDto = {
    skills: info.skills,
    bio: info.bio,
    serviceRadiusKm: info.serviceRadiusKm,
    available: info.available,
    portfolioImageUrls: info.portfolioImageUrls,
    verificationStatus: info.verificationStatus,
  };
  if (!admin) {
    return shared;
  }
  return {
    ...shared,
    verificationDocs: info.verificationDocs.map((doc) => VerificationDocResponseDto.from(doc)),
    verificationSubmittedAt: info.verificationSubmittedAt,
    verificationRejectionReason: info.verificationRejectionReason,
  };
}

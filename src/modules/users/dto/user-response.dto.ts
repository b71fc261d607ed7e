import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../../common/auth/role.js';
import { GeoPointDto } from '../../../common/geo/geo-point.dto.js';
import {
  type CraftsmanInfoEntity,
  type UserEntity,
  type VerificationDocEntity,
  VerificationDocType,
  VerificationStatus,
} from '../schemas/user.schema.js';

/** A verification document: an upload (`fileId`, read at `GET /uploads/:id/content`), or a URL given before uploads existed. */
export class VerificationDocResponseDto {
  docType!: VerificationDocType;

  /** Documents submitted before uploads existed; null for uploaded ones. */
  @ApiProperty({ type: String, nullable: true })
  docUrl!: string | null;

  /** The private upload holding it; null for documents given as a URL. */
  @ApiProperty({ type: String, nullable: true })
  fileId!: string | null;

  static from(doc: VerificationDocEntity): VerificationDocResponseDto {
    return { docType: doc.docType, docUrl: doc.docUrl ?? null, fileId: doc.fileId ?? null };
  }
}

/** A craftsman's own view of his profile. */
export class CraftsmanInfoResponseDto {
  skills!: string[];
  bio!: string;
  serviceRadiusKm!: number;
  available!: boolean;
  portfolioImageUrls!: string[];
  verificationStatus!: VerificationStatus;
  verificationDocs!: VerificationDocResponseDto[];
  verificationSubmittedAt?: Date;
  verificationRejectionReason?: string;

  static from(info: CraftsmanInfoEntity): CraftsmanInfoResponseDto {
    return {
      skills: info.skills,
      bio: info.bio,
      serviceRadiusKm: info.serviceRadiusKm,
      available: info.available,
      portfolioImageUrls: info.portfolioImageUrls,
      verificationStatus: info.verificationStatus,
      verificationDocs: info.verificationDocs.map((doc) => VerificationDocResponseDto.from(doc)),
      verificationSubmittedAt: info.verificationSubmittedAt,
      verificationRejectionReason: info.verificationRejectionReason,
    };
  }
}

/** The signed-in user's own account (GET /users/me, and with every token). */
export class UserResponseDto {
  id!: string;
  email!: string;
  /** The owner proved the address (POST /auth/verify-email); staff accounts are created verified. */
  emailVerified!: boolean;
  /** E.164, e.g. `+201001234567`. */
  phone?: string;
  role!: Role;
  firstName!: string;
  lastName!: string;
  profilePicture?: string;
  location?: GeoPointDto;
  address?: string;
  /** His time zone (IANA); null: dates are written in the service's default, Africa/Cairo. */
  timezone!: string | null;
  rating!: number;
  ratingCount!: number;
  /** Craftsmen only. */
  craftsmanInfo?: CraftsmanInfoResponseDto;
  createdAt!: Date;
  updatedAt!: Date;

  static from(user: UserEntity): UserResponseDto {
    return {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerified === true,
      phone: user.phone,
      role: user.role,
      firstName: user.firstName,
      lastName: user.lastName,
      profilePicture: user.profilePicture,
      location: user.location ? { lat: user.location.lat, lng: user.location.lng } : undefined,
      address: user.address,
      timezone: user.timezone ?? null,
      rating: user.rating,
      ratingCount: user.ratingCount,
      craftsmanInfo: user.craftsmanInfo
        ? CraftsmanInfoResponseDto.from(user.craftsmanInfo)
        : undefined,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    };
  }
}

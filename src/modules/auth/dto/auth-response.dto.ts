import { Role } from '../../../common/auth/role.js';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';

export class AuthResponseDto {
  /** Send as `Authorization: Bearer <accessToken>`, and as `auth.token` to Socket.IO. */
  accessToken!: string;

  user!: UserResponseDto;
}

export class SessionResponseDto {
  userId!: string;
  role!: Role;
  expiresAt!: Date;
}

export class MessageResponseDto {
  message!: string;
}

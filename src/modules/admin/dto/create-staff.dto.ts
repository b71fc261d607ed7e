import { PickType } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Role } from '../../../common/auth/role.js';
import { RegisterDto } from '../../auth/dto/register.dto.js';

/** A staff account: the same account fields and rules as registering, with a staff role. */
export class CreateStaffDto extends PickType(RegisterDto, [
  'email',
  'password',
  'firstName',
  'lastName',
] as const) {
  @IsIn([Role.Admin, Role.Moderator])
  role!: Role.Admin | Role.Moderator;
}

import { InvitationResponseDto } from './invitation-response.dto.js';

export class RespondResultDto {
  invitation!: InvitationResponseDto;
  /** When accepted: the client–craftsman conversation, created or reused. */
  conversationId?: string;
}

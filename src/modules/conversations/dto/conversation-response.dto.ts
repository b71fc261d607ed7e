import { UserSummaryDto } from '../../users/dto/user-summary.dto.js';

export class ConversationResponseDto {
  id!: string;
  client!: UserSummaryDto | null;
  craftsman!: UserSummaryDto | null;
  lastActivityAt!: Date;
  lastMessagePreview!: string;
  createdAt!: Date;
}

export class MessageResponseDto {
  id!: string;
  conversation!: string;
  sender!: string;
  text!: string;
  createdAt!: Date;
}

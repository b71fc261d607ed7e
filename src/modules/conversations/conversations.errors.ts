import { CommonErrors } from '../../common/errors/domain.error.js';

export const ConversationsErrors = {
  notFound: () => CommonErrors.notFound('Conversation'),
  notAParticipant: () =>
    CommonErrors.forbidden('Only its participants may read or write in a conversation'),
};

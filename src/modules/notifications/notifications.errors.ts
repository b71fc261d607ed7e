import { CommonErrors } from '../../common/errors/domain.error.js';

export const NotificationsErrors = {
  idsOrAll: () =>
    CommonErrors.validation([{ field: 'ids', message: 'send either ids or all: true' }]),
  deviceNotFound: () => CommonErrors.notFound('Device'),
  badPreferences: (details: Array<{ field: string; message: string }>) =>
    CommonErrors.validation(details, 'Some preferences are not valid'),
};

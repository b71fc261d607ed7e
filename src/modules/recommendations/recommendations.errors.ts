import { CommonErrors } from '../../common/errors/domain.error.js';

export const RecommendationsErrors = {
  notYourJob: () =>
    CommonErrors.forbidden('Only the client who posted this job may ask whom to invite'),
};

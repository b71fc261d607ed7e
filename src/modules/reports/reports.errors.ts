import { CommonErrors } from '../../common/errors/domain.error.js';

export const ReportsErrors = {
  /** 400 VALIDATION_FAILED on `to`. */
  range: (maxDays: number) =>
    CommonErrors.validation([
      {
        field: 'to',
        message: `to must be the same day as from or later, at most ${maxDays} days in all`,
      },
    ]),
};

import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { UploadPurpose } from './schemas/upload.schema.js';

const MB = 1024 * 1024;

export const FilesErrors = {
  notFound: () => CommonErrors.notFound('Upload'),
  notYours: () => CommonErrors.forbidden('This upload is someone else’s'),
  notAllowedToRead: () => CommonErrors.forbidden('You are not allowed to read this file'),
  fileTooLarge: (maxBytes: number) =>
    new DomainError(
      ErrorCode.FileTooLarge,
      `The file is larger than ${Math.round((maxBytes / MB) * 10) / 10} MB`,
      { maxBytes },
    ),
  imageTooLarge: (maxPixels: number) =>
    new DomainError(
      ErrorCode.ImageTooLarge,
      `The image has more than ${maxPixels} pixels (width × height)`,
      { maxPixels },
    ),
  unsupportedType: (allowed: readonly string[]) =>
    new DomainError(
      ErrorCode.UnsupportedMediaType,
      `This file’s content is not one of: ${allowed.join(', ')}`,
      { allowed },
    ),
  unreadableImage: () =>
    new DomainError(ErrorCode.UnsupportedMediaType, 'The image could not be decoded'),
  missingFile: () =>
    CommonErrors.validation([{ field: 'file', message: 'a file part named "file" is required' }]),
  badField: (field: string, message: string) => CommonErrors.validation([{ field, message }]),
  notMultipart: () =>
    new DomainError(
      ErrorCode.UnsupportedMediaType,
      'Send the file as multipart/form-data with a part named "file"',
    ),
  purposeMismatch: (id: string, expected: UploadPurpose, actual: UploadPurpose) =>
    new DomainError(
      ErrorCode.UploadPurposeMismatch,
      `Upload ${id} is a ${actual}, not a ${expected}`,
      { id, expected, actual },
    ),
  inUse: (id: string) =>
    new DomainError(ErrorCode.UploadInUse, `Upload ${id} is already used elsewhere`, { id }),
};

import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain.error.js';
import { FilesErrors } from './files.errors.js';

/** A multipart upload's parts: the file's bytes and the text fields sent with it. */
export interface UploadForm {
  file: Buffer;
  fields: Record<string, string>;
}

/**
 * Reads a `multipart/form-data` body: one part named `file` (buffered: at most
 * UPLOAD_MAX_BYTES) and the short text fields `options.fields` names, each once (any other
 * field is refused, as unknown JSON fields are). The limits are @fastify/multipart's
 * (`registerMultipart`); its refusals become the API's errors.
 *
 * @throws FILE_TOO_LARGE (413) over UPLOAD_MAX_BYTES; UNSUPPORTED_MEDIA_TYPE (415) when the body
 *   is not multipart; VALIDATION_FAILED (400) without a `file` part, with a second file or too
 *   many or too long fields, or a malformed body
 */
export async function readUploadForm(
  request: FastifyRequest,
  options: { maxBytes: number; fields: readonly string[]; deadlineMs: number },
): Promise<UploadForm> {
  // a sender still sending at the deadline loses its connection: no answer is owed to it
  const deadline = setTimeout(() => request.raw.destroy(), options.deadlineMs);
  try {
    return await readParts(request, options);
  } finally {
    clearTimeout(deadline);
  }
}

async function readParts(
  request: FastifyRequest,
  options: { maxBytes: number; fields: readonly string[] },
): Promise<UploadForm> {
  const { maxBytes } = options;
  if (!request.isMultipart()) {
    throw FilesErrors.notMultipart();
  }
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw FilesErrors.badField(part.fieldname, 'one file, in a part named "file"');
        }
        file = await part.toBuffer();
      } else {
        if (!options.fields.includes(part.fieldname)) {
          throw FilesErrors.badField(part.fieldname, `${part.fieldname} should not exist`);
        }
        if (part.fieldname in fields) {
          throw FilesErrors.badField(part.fieldname, `${part.fieldname} is given twice`);
        }
        if (part.valueTruncated) {
          throw FilesErrors.badField(part.fieldname, `${part.fieldname} is too long`);
        }
        fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
      }
    }
  } catch (error) {
    throw refusal(error, maxBytes);
  }
  if (!file) {
    throw FilesErrors.missingFile();
  }
  return { file, fields };
}

/** @fastify/multipart's and busboy's errors as the API's. */
function refusal(error: unknown, maxBytes: number): Error {
  if (error instanceof DomainError) {
    return error;
  }
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return FilesErrors.fileTooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
      return FilesErrors.badField('file', 'one file per request');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return FilesErrors.badField('form', 'too many parts');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return FilesErrors.notMultipart();
    default:
      return FilesErrors.badField('form', 'the multipart body is malformed');
  }
}

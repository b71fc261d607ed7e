import multipart from '@fastify/multipart';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors/error-response.js';
import { ErrorCode } from '../errors/error-code.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `@MultipartUpload()`: the route reads multipart/form-data. */
    multipart?: boolean;
  }
}

/** The fields a multipart upload may carry besides its one file (`purpose`), and their size. */
const MAX_FIELDS = 4;
const MAX_FIELD_BYTES = 256;

/**
 * Marks an upload route: it alone accepts `multipart/form-data`; every other route answers such
 * a body with 415 before reading it. Fastify's body limit doesn't apply to a multipart body (its
 * parser doesn't read it): the limits of `registerMultipart` do, as the parts stream in.
 */
export function MultipartUpload(): MethodDecorator {
  return RouteConfig({ multipart: true });
}

/**
 * Registers @fastify/multipart with explicit limits (one file of at most `maxFileBytes`, a few
 * short fields, no more parts) and refuses multipart bodies on routes not marked
 * `@MultipartUpload()`.
 */
export function registerMultipart(fastify: FastifyInstance, maxFileBytes: number): void {
  void fastify.register(multipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: maxFileBytes,
      files: 1,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      parts: MAX_FIELDS + 1,
      headerPairs: 20,
      fieldNameSize: 64,
    },
  });
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.isMultipart() && !request.routeOptions.config.multipart) {
      void reply
        .status(415)
        .send(
          errorBody(
            415,
            ErrorCode.UnsupportedMediaType,
            'This route takes application/json, not multipart/form-data',
          ),
        );
      return;
    }
    done();
  });
}

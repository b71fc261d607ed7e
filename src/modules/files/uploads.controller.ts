import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { MultipartUpload } from '../../common/http/multipart.js';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import type { AllConfig } from '../../config/config.js';
import type { FilesConfig } from '../../config/files.config.js';
import { StorageDriverName } from '../../config/files.env.js';
import { toUploadResponse, UploadResponseDto } from './dto/upload-response.dto.js';
import { FilesErrors } from './files.errors.js';
import { UploadPurpose } from './schemas/upload.schema.js';
import { contentTypeOfExtension } from './upload-content.js';
import { readUploadForm } from './upload-form.js';
import { UploadsService } from './uploads.service.js';

const PURPOSES = Object.values(UploadPurpose) as string[];
/** A public file's name: its upload id and extension. */
const PUBLIC_NAME = /^([0-9a-f]{24})\.([a-z]{3,4})$/;

/** The form of `POST /uploads` as OpenAPI shows it. */
const UPLOAD_FORM_SCHEMA = {
  type: 'object',
  required: ['file', 'purpose'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'the file (≤ UPLOAD_MAX_BYTES)' },
    purpose: { type: 'string', enum: PURPOSES },
  },
};

@ApiTags('files')
@Controller()
export class UploadsController {
  private readonly config: FilesConfig;

  constructor(
    private readonly uploadsService: UploadsService,
    private readonly rateLimits: RateLimitService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('files', { infer: true });
  }

  @Post(['uploads', 'services/uploads'])
  @Authenticated()
  @MultipartUpload()
  @ApiOperation({
    summary:
      'Upload a file (multipart: file + purpose). Images JPEG/PNG/GIF/WebP, verification documents and evidence also PDF, by their bytes; metadata stripped. `POST /services/uploads` is the seed’s name for the same route',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_FORM_SCHEMA })
  @ApiCreatedResponse({ type: UploadResponseDto })
  @ApiPayloadTooLargeResponse({
    type: ErrorResponseDto,
    description: 'FILE_TOO_LARGE, IMAGE_TOO_LARGE',
  })
  @ApiUnsupportedMediaTypeResponse({
    type: ErrorResponseDto,
    description: 'UNSUPPORTED_MEDIA_TYPE',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async upload(
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
  ): Promise<UploadResponseDto> {
    await this.rateLimits.consume(
      'uploads-user',
      this.config.uploadsPerUser,
      user.id,
      'Too many uploads, try again later',
    );
    const upload = await this.uploadsService.receive(
      user.id,
      () =>
        readUploadForm(request, {
          maxBytes: this.config.maxBytes,
          fields: ['purpose'],
          deadlineMs: this.config.readTimeoutMs,
        }),
      (form) => {
        const purpose = form.fields.purpose;
        if (!purpose || !PURPOSES.includes(purpose)) {
          throw FilesErrors.badField('purpose', `purpose must be one of: ${PURPOSES.join(', ')}`);
        }
        return this.uploadsService.upload(user.id, purpose as UploadPurpose, form.file);
      },
    );
    return toUploadResponse(upload);
  }

  @Get('uploads/:id/content')
  @Authenticated()
  @ApiOperation({
    summary:
      'The bytes of a file: private ones (verification documents, evidence) to their owner, staff (verification documents: admins) and, for evidence, the other party of the dispute',
  })
  @ApiProduces('image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf')
  @ApiOkResponse({ description: 'the file', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async content(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { upload, body } = await this.uploadsService.readContent(id, user);
    await reply
      .type(upload.contentType)
      .header('cache-control', upload.url ? 'private, max-age=3600' : 'private, no-store')
      .header('content-disposition', `inline; filename="${upload.id}"`)
      .send(body);
  }

  @Get('files/public/:purpose/:name')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A public file kept by the local store (profile pictures, job photos, portfolio images): the `url` of its upload. Never changes: cached for a year',
  })
  @ApiProduces('image/jpeg', 'image/png', 'image/gif', 'image/webp')
  @ApiOkResponse({ description: 'the file', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async publicFile(
    @Param('purpose') purpose: string,
    @Param('name') name: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const match = PUBLIC_NAME.exec(name);
    const contentType = match ? contentTypeOfExtension(match[2] ?? '') : undefined;
    if (
      this.config.driver !== StorageDriverName.Local ||
      !PURPOSES.includes(purpose) ||
      !contentType
    ) {
      throw FilesErrors.notFound();
    }
    const body = await this.uploadsService.readPublic(`public/${purpose}/${name}`);
    await reply
      .type(contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(body);
  }
}

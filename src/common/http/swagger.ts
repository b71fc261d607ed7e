import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto.js';
import { PaginationMetaDto } from '../pagination/paginated-response.dto.js';

export const BEARER_AUTH = 'bearer';

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Craftsmen marketplace API')
    .setDescription(
      'Clients post jobs and invite craftsmen; craftsmen accept or reject, quote, get hired and chat. ' +
        'Errors share one body: `{statusCode, code, message, details?}`. Lists take `?page&limit` and ' +
        'answer `{data, pagination}`. Live events arrive over Socket.IO (path `/socket.io`).',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH)
    .build();
  return SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponseDto, PaginationMetaDto],
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/** Swagger UI at /api/docs, the OpenAPI JSON at /api/docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
    swaggerOptions: { persistAuthorization: true },
  });
}

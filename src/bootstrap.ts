import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as PinoLogger } from 'pino';
import type { AppOptions } from './app-options.js';
import { registerRequestReads } from './common/database/request-reads.js';
import { registerRequestContext } from './common/http/request-context.js';
import { AppModule } from './app.module.js';
import { AllConfig, loadConfig } from './config/config.js';
import { toFastifyTrustProxy } from './config/trust-proxy.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { DomainExceptionFilter } from './common/errors/domain-exception.filter.js';
import { registerRouteBodyLimits } from './common/http/body-limit.js';
import { answerClientError, answerFrameworkError } from './common/http/framework-errors.js';
import { registerJsonBodyParser } from './common/http/json-body.js';
import { registerMultipart } from './common/http/multipart.js';
import { registerSecurityHeaders } from './common/http/security-headers.js';
import { setupSwagger } from './common/http/swagger.js';
import { createLogger } from './common/logging/create-logger.js';
import { PinoNestLogger } from './common/logging/pino-nest-logger.js';
import { RequestLogController, requestIdOf } from './common/logging/request-log-controller.js';
import { SocketIoAdapter } from './common/realtime/socket-io.adapter.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import { DEVICE_TOKEN_MAX_LENGTH } from './modules/notifications/dto/notification-requests.dto.js';

export const API_PREFIX = 'api';

export interface CreatedApp {
  app: NestFastifyApplication;
  config: AllConfig;
  logger: PinoLogger;
}

/**
 * Builds the whole application, ready to `listen`: the same code path for `npm start` and the
 * e2e tests. Throws `ConfigValidationError` before doing anything when the environment is bad.
 */
export async function createApp(
  env: NodeJS.ProcessEnv = process.env,
  options: AppOptions = {},
): Promise<CreatedApp> {
  const config = loadConfig(env);
  const logger = createLogger(config.logging);
  logJwtSecretOrigin(config, logger);
  logDataEncryptionKeyOrigin(config, logger);
  if (config.app.trustProxy === true) {
    logger.warn(
      'TRUST_PROXY=true believes any X-Forwarded-For: clients can choose their IP and escape ' +
        'per-IP rate limits. Set the proxies’ addresses (or a hop count) instead',
    );
  }
  const adapter = new FastifyAdapter({
    // a path parameter may be a whole device token (DELETE /notifications/devices/:token)
    routerOptions: { maxParamLength: DEVICE_TOKEN_MAX_LENGTH },
    loggerInstance: logger,
    logController: new RequestLogController(),
    genReqId: requestIdOf,
    // the ceiling; each route has a limit of its own below it (registerRouteBodyLimits)
    bodyLimit: config.app.bodyLimitBytes,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    trustProxy: toFastifyTrustProxy(config.app.trustProxy),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    adapter,
    {
      logger: new PinoNestLogger(logger),
      abortOnError: false,
      // JSON only, through registerJsonBodyParser (a nesting limit); no form bodies
      bodyParser: false,
    },
  );
  configureApp(app, config);
  return { app, config, logger };
}

/** Says, without the secret, that tokens are signed with one generated under DATA_DIR. */
function logJwtSecretOrigin(config: AllConfig, logger: PinoLogger): void {
  const file = config.auth.jwtSecretFile;
  if (!file) {
    return;
  }
  logger.warn(
    { context: 'Auth' },
    file.created
      ? `JWT_SECRET unset: generated a random signing secret and kept it in ${file.path} (owner-only); later starts reuse it`
      : `JWT_SECRET unset: signing tokens with the secret generated earlier in ${file.path}`,
  );
}

/** Says, without the key, that private data is sealed with a key generated under DATA_DIR. */
function logDataEncryptionKeyOrigin(config: AllConfig, logger: PinoLogger): void {
  const { generatedKeyPath: path, generated } = config.encryption;
  if (!path) {
    return;
  }
  logger.warn(
    { context: 'Encryption' },
    generated
      ? `DATA_ENCRYPTION_KEY unset: generated a random key for private data at rest and kept it in ${path} (owner-only); later starts reuse it, and losing it loses that data`
      : `DATA_ENCRYPTION_KEY unset: sealing private data with the key generated earlier in ${path}`,
  );
}

function configureApp(app: NestFastifyApplication, config: AllConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify);
  registerMultipart(fastify, config.files.maxBytes);
  registerRouteBodyLimits(fastify, config.app.bodyLimitBytes);
  registerRequestReads(fastify);
  registerRequestContext(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  registerSecurityHeaders(fastify, {
    // Swagger UI's page needs inline styles and its own scripts; nothing else serves HTML
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
      },
    },
  });
  app.enableCors({
    origin: config.app.corsOrigins.length > 0 ? config.app.corsOrigins : false,
    credentials: true,
  });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  // the catch-all first: Nest tries global filters from the last registered one
  app.useGlobalFilters(new AllExceptionsFilter(), new DomainExceptionFilter());
  app.useWebSocketAdapter(
    new SocketIoAdapter(app, { corsOrigins: config.app.corsOrigins, redisUrl: config.redis.url }),
  );
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  setupSwagger(app);
}

import { AppConfig, appConfigFromEnv } from './app.config.js';
import { AuthConfig, authConfigFromEnv } from './auth.config.js';
import { DatabaseConfig, databaseConfigFromEnv } from './database.config.js';
import { EncryptionConfig, encryptionConfigFromEnv } from './encryption.config.js';
import { validateEnv } from './env.validation.js';
import {
  FilesConfig,
  filesConfigFromEnv,
  PrivacyConfig,
  privacyConfigFromEnv,
} from './files.config.js';
import { InvitationsConfig, invitationsConfigFromEnv } from './invitations.config.js';
import { LoggingConfig, loggingConfigFromEnv } from './logging.config.js';
import { MailConfig, mailConfigFromEnv } from './mail.config.js';
import { MoneyConfig, moneyConfigFromEnv } from './money.config.js';
import { OperationsConfig, operationsConfigFromEnv } from './operations.config.js';
import { NotificationsConfig, notificationsConfigFromEnv } from './notifications.config.js';
import { RecommendationsConfig, recommendationsConfigFromEnv } from './recommendations.config.js';
import { RedisConfig, redisConfigFromEnv } from './redis.config.js';
import { TrustConfig, trustConfigFromEnv } from './trust.config.js';

/** The whole typed configuration; read a namespace with `ConfigService<AllConfig, true>`. */
export interface AllConfig {
  app: AppConfig;
  logging: LoggingConfig;
  database: DatabaseConfig;
  auth: AuthConfig;
  redis: RedisConfig;
  mail: MailConfig;
  invitations: InvitationsConfig;
  notifications: NotificationsConfig;
  recommendations: RecommendationsConfig;
  money: MoneyConfig;
  trust: TrustConfig;
  files: FilesConfig;
  privacy: PrivacyConfig;
  operations: OperationsConfig;
  encryption: EncryptionConfig;
}

/** Validates the environment (throws `ConfigValidationError`) and shapes it into namespaces. */
export function loadConfig(raw: NodeJS.ProcessEnv): AllConfig {
  const env = validateEnv(raw);
  return {
    app: appConfigFromEnv(env),
    logging: loggingConfigFromEnv(env),
    database: databaseConfigFromEnv(env),
    auth: authConfigFromEnv(env),
    redis: redisConfigFromEnv(env),
    mail: mailConfigFromEnv(env),
    invitations: invitationsConfigFromEnv(env),
    notifications: notificationsConfigFromEnv(env),
    recommendations: recommendationsConfigFromEnv(env),
    money: moneyConfigFromEnv(env),
    trust: trustConfigFromEnv(env),
    files: filesConfigFromEnv(env),
    privacy: privacyConfigFromEnv(env),
    operations: operationsConfigFromEnv(env),
    encryption: encryptionConfigFromEnv(env),
  };
}

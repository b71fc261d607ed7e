import { join } from 'node:path';
import { EnvironmentVariables } from './env.validation.js';

export interface MailConfig {
  /** Unset: each mail is written to a file in `outboxDir` instead of being sent. */
  smtpUrl?: string;
  /** `$DATA_DIR/outbox`: where mail goes without SMTP_URL, outside production. */
  outboxDir: string;
  from: string;
  /** Base of the links in emails (password reset, invitations). */
  publicAppUrl: string;
}

export function mailConfigFromEnv(env: EnvironmentVariables): MailConfig {
  return {
    smtpUrl: env.SMTP_URL,
    outboxDir: join(env.DATA_DIR, 'outbox'),
    from: env.MAIL_FROM,
    publicAppUrl: env.PUBLIC_APP_URL.replace(/\/+$/, ''),
  };
}

import { EnvironmentVariables } from './env.validation.js';

export interface MailConfig {
  /** Unset: mail is written to the log instead of being sent. */
  smtpUrl?: string;
  from: string;
  /** Base of the links in emails (password reset, invitations). */
  publicAppUrl: string;
}

export function mailConfigFromEnv(env: EnvironmentVariables): MailConfig {
  return {
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    publicAppUrl: env.PUBLIC_APP_URL.replace(/\/+$/, ''),
  };
}

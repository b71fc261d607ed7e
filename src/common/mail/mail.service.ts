import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AllConfig } from '../../config/config.js';
import { NodeEnv } from '../../config/env.validation.js';
import type { MailConfig } from '../../config/mail.config.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../files/private-files.js';
import { redactCredentials } from '../logging/redact-credentials.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * Where answers go, when not to us (the contact form: the sender). Never `From`: mail From an
   * address of another domain fails that domain's DMARC (RFC 7489, identifier alignment).
   */
  replyTo?: string | { name: string; address: string };
}

/**
 * Sends email over SMTP (nodemailer, SMTP_URL). Without SMTP_URL it writes each message to a
 * file in `$DATA_DIR/outbox/` (owner-only; in production it drops it), and says so at boot. The
 * log never holds a recipient or a body: bodies carry single-use links.
 */
@Injectable()
export class MailService implements OnModuleInit {
  private readonly logger = new Logger(MailService.name);
  private readonly config: MailConfig;
  private readonly production: boolean;
  /** Each step of a send (connect, greeting, any silence) times out within this. */
  private readonly stepTimeoutMs: number;
  private transporter?: Transporter;

  constructor(config: ConfigService<AllConfig, true>) {
    this.config = config.get('mail', { infer: true });
    this.production = config.get('app', { infer: true }).nodeEnv === NodeEnv.Production;
    // well inside a delivery's lease: past it, another worker could claim the delivery and send
    // the same email while this send still runs (nodemailer waits up to 2 and 10 minutes)
    this.stepTimeoutMs = Math.max(
      1_000,
      Math.floor(config.get('notifications', { infer: true }).leaseMs / 4),
    );
  }

  onModuleInit(): void {
    if (!this.config.smtpUrl) {
      this.logger.warn(
        this.production
          ? 'SMTP_URL unset: email is not sent'
          : `SMTP_URL unset: email is written to ${this.config.outboxDir}, not sent`,
      );
      return;
    }
    this.transporter = nodemailer.createTransport({
      url: this.config.smtpUrl,
      connectionTimeout: this.stepTimeoutMs,
      greetingTimeout: this.stepTimeoutMs,
      socketTimeout: this.stepTimeoutMs,
    });
    this.logger.log(`Email goes out over SMTP (${redactCredentials(this.config.smtpUrl)})`);
  }

  /** A link into the apps, e.g. `link('/reset-password', { token })`. */
  link(path: string, query: Record<string, string> = {}): string {
    const url = new URL(`${this.config.publicAppUrl}${path}`);
    for (const [key, value] of Object.entries(query)) {
      url.searchParams.set(key, value);
    }
    return url.toString();
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.transporter) {
      await this.keep(message);
      return;
    }
    await this.transporter.sendMail({ from: this.config.from, ...message });
  }

  /** Without SMTP: to a file of the outbox, for a developer to open; dropped in production. */
  private async keep(message: MailMessage): Promise<void> {
    if (this.production) {
      this.logger.warn('A mail was not sent: SMTP_URL unset');
      return;
    }
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
    const file = join(ensurePrivateDir(this.config.outboxDir), name);
    // off the event loop, as the log lines
    await writeFile(
      file,
      `From: ${this.config.from}\nTo: ${message.to}\n${replyToLine(message)}Subject: ${message.subject}\n\n${message.text}\n`,
      { mode: PRIVATE_FILE_MODE, flag: 'wx' },
    );
    this.logger.log(`A mail was not sent (SMTP_URL unset): it is in ${file}`);
  }
}

/** The outbox file's `Reply-To:` line (with its newline), or nothing. */
function replyToLine(message: MailMessage): string {
  if (!message.replyTo) {
    return '';
  }
  const replyTo =
    typeof message.replyTo === 'string'
      ? message.replyTo
      : `${JSON.stringify(message.replyTo.name)} <${message.replyTo.address}>`;
  return `Reply-To: ${replyTo}\n`;
}

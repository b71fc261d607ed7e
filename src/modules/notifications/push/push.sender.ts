import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeviceTokensRepository } from '../device-tokens.repository.js';
import type { PushPayload } from '../schemas/delivery.schema.js';

/** The part of firebase-admin's `Messaging` the app uses: the boundary tests stand in for. */
export interface MessagingLike {
  sendEachForMulticast(message: {
    tokens: string[];
    notification: { title: string; body: string };
    data: Record<string, string>;
  }): Promise<{
    successCount: number;
    failureCount: number;
    responses: Array<{ success: boolean; error?: { code: string; message: string } }>;
  }>;
}

export const FIREBASE_MESSAGING = Symbol('FIREBASE_MESSAGING');

/** FCM's answers for a token that will never work again: the token is forgotten. */
const DEAD_TOKEN_CODES = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
]);

/** firebase-admin messaging from FIREBASE_SERVICE_ACCOUNT, or `null` (push off) without it. */
export async function createFirebaseMessaging(
  serviceAccount: string | undefined,
  logger: Logger,
): Promise<MessagingLike | null> {
  if (!serviceAccount) {
    logger.warn('FIREBASE_SERVICE_ACCOUNT unset: the push channel is off');
    return null;
  }
  const json: unknown = JSON.parse(
    serviceAccount.trim().startsWith('{') ? serviceAccount : readFileSync(serviceAccount, 'utf8'),
  );
  // loaded only when configured: firebase-admin is large
  const { cert, initializeApp } = await import('firebase-admin/app');
  const { getMessaging } = await import('firebase-admin/messaging');
  const app = initializeApp({ credential: cert(json as object) }, `craftsmen-${randomUUID()}`);
  logger.log('Push notifications go out through Firebase Cloud Messaging');
  return getMessaging(app);
}

@Injectable()
export class PushSender {
  private readonly logger = new Logger(PushSender.name);

  constructor(
    @Inject(FIREBASE_MESSAGING) private readonly messaging: MessagingLike | null,
    private readonly deviceTokens: DeviceTokensRepository,
  ) {}

  get enabled(): boolean {
    return this.messaging !== null;
  }

  /**
   * To every registered device of the user. Tokens FCM calls dead are removed; when no device
   * took it for another reason, it throws, and the delivery is retried.
   */
  async send(recipientId: string, payload: PushPayload): Promise<void> {
    if (!this.messaging) {
      return;
    }
    const tokens = await this.deviceTokens.tokensOf(recipientId);
    if (tokens.length === 0) {
      return;
    }
    const result = await this.messaging.sendEachForMulticast({
      tokens,
      notification: { title: payload.title, body: payload.body },
      data: payload.data,
    });
    const dead = tokens.filter((_, i) =>
      DEAD_TOKEN_CODES.has(result.responses[i]?.error?.code ?? ''),
    );
    if (dead.length > 0) {
      await this.deviceTokens.removeTokens(dead);
      this.logger.log(`Removed ${dead.length} device tokens FCM no longer knows`);
    }
    const failed = result.responses.filter(
      (response) => !response.success && !DEAD_TOKEN_CODES.has(response.error?.code ?? ''),
    );
    if (result.successCount === 0 && failed.length > 0) {
      throw new Error(`FCM refused the push: ${failed[0].error?.code} ${failed[0].error?.message}`);
    }
  }
}

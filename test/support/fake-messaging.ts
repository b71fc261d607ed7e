import type { MessagingLike } from '../../src/modules/notifications/push/push.sender.js';

type Message = Parameters<MessagingLike['sendEachForMulticast']>[0];

/**
 * Stands in for firebase-admin's Messaging (FCM cannot be reached from here): records what
 * would have been pushed, and answers as FCM does, including its failures when told to.
 */
export class FakeMessaging implements MessagingLike {
  readonly sent: Message[] = [];
  /** Tokens FCM would call unregistered. */
  readonly deadTokens = new Set<string>();
  /** How many of the next calls fail as if FCM were down. */
  failNext = 0;

  sendEachForMulticast(message: Message): ReturnType<MessagingLike['sendEachForMulticast']> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return Promise.resolve({
        successCount: 0,
        failureCount: message.tokens.length,
        responses: message.tokens.map(() => ({
          success: false,
          error: { code: 'messaging/internal-error', message: 'FCM is having a bad day' },
        })),
      });
    }
    this.sent.push(message);
    const responses = message.tokens.map((token) =>
      this.deadTokens.has(token)
        ? {
            success: false,
            error: { code: 'messaging/registration-token-not-registered', message: 'gone' },
          }
        : { success: true },
    );
    const successCount = responses.filter((response) => response.success).length;
    return Promise.resolve({
      successCount,
      failureCount: responses.length - successCount,
      responses,
    });
  }

  /** What was pushed to a device token, newest last. */
  to(token: string): Message[] {
    return this.sent.filter((message) => message.tokens.includes(token));
  }
}

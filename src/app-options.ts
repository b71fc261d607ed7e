import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Clock } from './common/clock/clock.js';
import type { MessagingLike } from './modules/notifications/push/push.sender.js';

export interface AppOptions {
  /** Tests move time with a clock of their own. */
  clock?: Clock;
  /** Tests stand in for Firebase Cloud Messaging, which cannot be reached from here. */
  firebaseMessaging?: MessagingLike;
}

/** The options above, for the providers that take them. */
export const APP_OPTIONS = Symbol('APP_OPTIONS');

@Global()
@Module({})
export class AppOptionsModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppOptionsModule,
      providers: [{ provide: APP_OPTIONS, useValue: options }],
      exports: [APP_OPTIONS],
    };
  }
}

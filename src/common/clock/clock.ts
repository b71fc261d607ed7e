import { type DynamicModule, Global, Injectable, Module } from '@nestjs/common';

/** Time, injected: tests move it (30-day expiry, 24 h resend limits) without waiting. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({})
export class ClockModule {
  /** The system clock, or the one a test hands in. */
  static register(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ClockModule,
      providers: [{ provide: Clock, useValue: clock }],
      exports: [Clock],
    };
  }
}

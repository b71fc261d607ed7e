import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

/** Every domain event has a stable name (e.g. `invitation.accepted`) and a typed payload. */
export interface DomainEvent {
  readonly eventName: string;
}

/**
 * Publishes domain events in-process (@nestjs/event-emitter). Services publish only after the
 * change is stored, and wait for the listeners: when a request answers, what it set off (a
 * cancelled job's invitations, the notifications) is done. A failing listener is logged; it
 * never fails the change that was already stored.
 *
 * The listeners of an event run one after another, in the order they were registered, not side
 * by side (EventEmitter2's `emitAsync`): a request's work, and so its count of MongoDB commands,
 * is then the same on every run. Side by side, whether one listener found a document another
 * had just read (the request's identity map, RequestReads) depended on which command came back
 * first, and a loaded machine counted more (bench/RESULTS.md, "Round trips: counts that
 * depended on timing"). The price is latency only: the same commands, in series.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);

  constructor(private readonly emitter: EventEmitter2) {}

  async publish(event: DomainEvent): Promise<void> {
    await this.publishOrThrow(event).catch(() => undefined);
  }

  /**
   * As `publish`, but a listener's failure is also thrown (after it is logged): for events whose
   * effects are retried until every listener succeeded (a ban's, UsersService.settleBans).
   */
  async publishOrThrow(event: DomainEvent): Promise<void> {
    let failure: Error | undefined;
    for (const listener of this.emitter.listeners(event.eventName)) {
      try {
        // a listener of @nestjs/event-emitter answers a promise (its handler's, wrapped)
        await (listener(event) as unknown as Promise<unknown>);
      } catch (error) {
        this.logger.error(
          `A listener of ${event.eventName} failed: ${String(error)}`,
          (error as Error)?.stack,
        );
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
    if (failure) {
      throw failure;
    }
  }
}

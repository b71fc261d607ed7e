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
    try {
      await this.emitter.emitAsync(event.eventName, event);
    } catch (error) {
      this.logger.error(
        `A listener of ${event.eventName} failed: ${String(error)}`,
        (error as Error)?.stack,
      );
      throw error;
    }
  }
}

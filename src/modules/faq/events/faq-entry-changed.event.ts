import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { EventActor } from '../../../common/events/event-actor.js';

export type FaqEntryChange = 'created' | 'updated' | 'deleted';

/** Staff added, edited or removed an FAQ entry (the activity log records it). */
export class FaqEntryChangedEvent implements DomainEvent {
  static readonly eventName = 'faq.entry_changed';
  readonly eventName = FaqEntryChangedEvent.eventName;

  constructor(
    readonly entryId: string,
    readonly change: FaqEntryChange,
    /** The entry's topic slug and language after the change (before it, for a removal). */
    readonly topic: string,
    readonly language: string,
    readonly by: EventActor,
    /** When the change was stored: tells two edits of one entry apart. */
    readonly at: Date,
  ) {}
}

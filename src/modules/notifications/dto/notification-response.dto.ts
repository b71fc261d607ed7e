import { DeliveryChannel, DeliveryStatus } from '../schemas/delivery.schema.js';

export class DeliveryStateDto {
  channel!: DeliveryChannel;
  status!: DeliveryStatus;
}

export class NotificationResponseDto {
  id!: string;
  /** The event's name: `invitation.created`, `quote.submitted`, ... */
  type!: string;
  title!: string;
  message!: string;
  /** Ids of what it is about, and `deepLink`: the app path to open. */
  data!: Record<string, unknown>;
  read!: boolean;
  createdAt!: Date;
  /** How the push and email copies are doing. */
  deliveries!: DeliveryStateDto[];
}

export class UnreadCountDto {
  count!: number;
}

export class MarkReadResultDto {
  /** How many notifications became read. */
  updated!: number;
}

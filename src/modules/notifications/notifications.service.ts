import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Clock } from '../../common/clock/clock.js';
import { MailService } from '../../common/mail/mail.service.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import type { AllConfig } from '../../config/config.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import { UsersService } from '../users/users.service.js';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository.js';
import { DeliveryDispatcher } from './delivery.dispatcher.js';
import { DeviceTokensRepository } from './device-tokens.repository.js';
import { ChannelPreferencesDto } from './dto/notification-requests.dto.js';
import type { NotificationResponseDto } from './dto/notification-response.dto.js';
import { NotificationsErrors } from './notifications.errors.js';
import { NotificationsGateway } from './notifications.gateway.js';
import { NotificationsRepository } from './notifications.repository.js';
import { PreferencesRepository } from './preferences.repository.js';
import { PushSender } from './push/push.sender.js';
import { DeliveryChannel, type DeliveryEntity } from './schemas/delivery.schema.js';
import type { DevicePlatform, DeviceTokenEntity } from './schemas/device-token.schema.js';
import type { ChannelPreferences } from './schemas/notification-preferences.schema.js';
import type { NotificationEntity } from './schemas/notification.schema.js';
import type { ServerEvent, ServerEventPayload } from './ws-events.js';
import {
  isNotificationType,
  NOTIFICATION_TYPES,
  type NotificationType,
  renderNotification,
  type RenderedNotification,
  type TemplateContext,
} from './templates/notification-templates.js';

const ALL_ON: ChannelPreferences = { inApp: true, push: true, email: true };

export interface Notify {
  recipientId: string;
  type: NotificationType;
  context: TemplateContext;
  /** Ids of what it is about; `deepLink` is the app path to open. */
  data: Record<string, string> & { deepLink: string };
  /** Set when the same event may be announced twice (the expiry sweep): it notifies once. */
  dedupeKey?: string;
}

/**
 * Stores one notification per recipient (in-app is always stored), shows it live on the
 * recipient's sockets, and records a delivery for each external channel the recipient wants;
 * the dispatcher sends those.
 */
@Injectable()
export class NotificationsService {
  /** Dates in text for readers without a zone of their own (DEFAULT_TIMEZONE). */
  private readonly defaultTimeZone: string;
  /** How long a new delivery is this instance's to send (DELIVERY_LEASE). */
  private readonly leaseMs: number;

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly deviceTokens: DeviceTokensRepository,
    private readonly preferences: PreferencesRepository,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly pushSender: PushSender,
    private readonly gateway: NotificationsGateway,
    private readonly usersService: UsersService,
    private readonly mailService: MailService,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    const settings = config.get('notifications', { infer: true });
    this.defaultTimeZone = settings.defaultTimeZone;
    this.leaseMs = settings.leaseMs;
  }

  /**
   * What `notify` does for each, in three commands however many they are: the recipients read
   * together, the notifications written together, their deliveries written together. For the
   * recipients of one event, announced once (no `dedupeKey`).
   *
   * @throws Error when an input has a dedupeKey (use `notify`)
   */
  async notifyAll(inputs: Notify[]): Promise<NotificationEntity[]> {
    if (inputs.some((input) => input.dedupeKey !== undefined)) {
      throw new Error('notifyAll is for notifications without a dedupe key');
    }
    await this.usersService.readAhead(inputs.map((input) => input.recipientId));
    const everyone = await Promise.all(
      inputs.map(async (input) => {
        const recipient = await this.usersService.getById(input.recipientId);
        return {
          input,
          recipient,
          rendered: this.render(input, recipient),
          wants: await this.preferencesOf(input.recipientId, input.type),
        };
      }),
    );
    // a deleted account is told nothing: nobody reads it, and its address is no one's
    const prepared = everyone.filter(({ recipient }) => !recipient.deletedAt);
    const notifications = await this.notifications.createMany(
      prepared.map(({ input, rendered }) => this.newNotification(input, rendered)),
    );
    const planned = await Promise.all(
      prepared.map(({ input, recipient, rendered, wants }, index) =>
        this.plannedDeliveries(notifications[index], input, recipient, rendered, wants),
      ),
    );
    const deliveries = await this.recordAndSend(planned.flat());
    prepared.forEach(({ input, wants }, index) => {
      if (wants.inApp) {
        const notification = notifications[index];
        this.showLive(
          input.recipientId,
          notification,
          deliveries.filter((delivery) => delivery.notification === notification.id),
        );
      }
    });
    return notifications;
  }

  /** The new notification on the recipient's sockets, its deliveries still to be sent. */
  private showLive(
    recipientId: string,
    notification: NotificationEntity,
    deliveries: DeliveryEntity[],
  ): void {
    this.gateway.sendToUser(
      recipientId,
      'notification',
      this.toResponseWith(
        notification,
        deliveries.map((delivery) => ({ channel: delivery.channel, status: 'pending' })),
      ),
    );
  }

  private render(input: Notify, recipient: UserEntity): RenderedNotification {
    return renderNotification(
      input.type,
      input.context,
      this.mailService.link(input.data.deepLink),
      recipient.timezone ?? this.defaultTimeZone,
    );
  }

  private newNotification(input: Notify, rendered: RenderedNotification) {
    return {
      recipient: input.recipientId,
      type: input.type,
      title: rendered.title,
      message: rendered.message,
      data: input.data,
      dedupeKey: input.dedupeKey ?? randomUUID(),
    };
  }

  /** `null` when it was stored before (its dedupe key), or the recipient's account is deleted. */
  async notify(input: Notify): Promise<NotificationEntity | null> {
    const recipient = await this.usersService.getById(input.recipientId);
    if (recipient.deletedAt) {
      return null;
    }
    const rendered = this.render(input, recipient);
    const notification = await this.notifications.create(this.newNotification(input, rendered));
    if (!notification) {
      await this.completeDeliveries(input, recipient, rendered);
      return null;
    }
    const wants = await this.preferencesOf(input.recipientId, input.type);
    const deliveries = await this.recordDeliveries(notification, input, recipient, rendered, wants);
    if (wants.inApp) {
      this.showLive(input.recipientId, notification, deliveries);
    }
    return notification;
  }

  /**
   * The notification was stored before (its dedupe key is taken): an event announced again
   * after a crash. The call that stored it may have died before recording its deliveries;
   * without this they would never be sent. A first call still running at this moment would
   * record them too (two sweeps announcing one invitation at once): an email twice at worst.
   */
  private async completeDeliveries(
    input: Notify,
    recipient: UserEntity,
    rendered: RenderedNotification,
  ): Promise<void> {
    const stored = input.dedupeKey
      ? await this.notifications.findByDedupeKey(input.dedupeKey)
      : null;
    if (!stored || (await this.deliveries.findForNotifications([stored.id])).length > 0) {
      return;
    }
    const wants = await this.preferencesOf(input.recipientId, input.type);
    await this.recordDeliveries(stored, input, recipient, rendered, wants);
  }

  private async recordDeliveries(
    notification: NotificationEntity,
    input: Notify,
    recipient: UserEntity,
    rendered: RenderedNotification,
    wants: ChannelPreferences,
  ): Promise<DeliveryEntity[]> {
    return this.recordAndSend(
      await this.plannedDeliveries(notification, input, recipient, rendered, wants),
    );
  }

  /** The deliveries a notification gets: push (with a device) and email, as the user wants. */
  private async plannedDeliveries(
    notification: NotificationEntity,
    input: Notify,
    recipient: UserEntity,
    rendered: RenderedNotification,
    wants: ChannelPreferences,
  ): Promise<NewDelivery[]> {
    const deliveries: NewDelivery[] = [];
    const base = { notification: notification.id, recipient: input.recipientId };
    if (
      wants.push &&
      this.pushSender.enabled &&
      (await this.deviceTokens.hasAny(input.recipientId))
    ) {
      deliveries.push({
        ...base,
        channel: DeliveryChannel.Push,
        payload: {
          title: rendered.title,
          body: rendered.message,
          data: { ...input.data, type: input.type, notificationId: notification.id },
        },
      });
    }
    if (wants.email) {
      deliveries.push({
        ...base,
        channel: DeliveryChannel.Email,
        payload: { to: recipient.email, ...rendered.email },
      });
    }
    return deliveries;
  }

  /** Writes the deliveries held by this instance, and sends them (DeliveryDispatcher.sendNow). */
  private async recordAndSend(deliveries: NewDelivery[]): Promise<DeliveryEntity[]> {
    const now = this.clock.now();
    const created = await this.deliveries.createMany(deliveries, now, {
      owner: this.dispatcher.leaseOwner,
      until: new Date(now.getTime() + this.leaseMs),
    });
    this.dispatcher.sendNow(created);
    return created;
  }

  /**
   * An email to someone without an account (an invitation to an address): no in-app copy, and
   * dates in the default time zone.
   */
  async emailOnly(input: {
    to: string;
    type: NotificationType;
    context: TemplateContext;
    deepLink: string;
  }): Promise<void> {
    const rendered = renderNotification(
      input.type,
      input.context,
      this.mailService.link(input.deepLink),
      this.defaultTimeZone,
    );
    await this.recordAndSend([
      {
        notification: null,
        recipient: null,
        channel: DeliveryChannel.Email,
        payload: { to: input.to, ...rendered.email },
      },
    ]);
  }

  /** Sends a live event to the sockets subscribed to a job. */
  liveToJob<E extends ServerEvent>(jobId: string, event: E, payload: ServerEventPayload<E>): void {
    this.gateway.sendToJob(jobId, event, payload);
  }

  /** Sends a live event (the resource that changed) to the user's sockets. */
  live<E extends ServerEvent>(userId: string, event: E, payload: ServerEventPayload<E>): void {
    this.gateway.sendToUser(userId, event, payload);
  }

  async list(
    userId: string,
    unreadOnly: boolean,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<NotificationResponseDto>> {
    const found = await this.notifications.list(userId, unreadOnly, page);
    const deliveries = await this.deliveries.findForNotifications(
      found.data.map((notification) => notification.id),
    );
    return {
      data: found.data.map((notification) =>
        this.toResponseWith(
          notification,
          deliveries
            .filter((delivery) => delivery.notification === notification.id)
            .map(({ channel, status }) => ({ channel, status })),
        ),
      ),
      pagination: found.pagination,
    };
  }

  /**
   * What the notifications module holds about the user, for his data export: his
   * notifications, newest first, and his devices.
   */
  async allOf(
    userId: string,
  ): Promise<{ notifications: NotificationEntity[]; devices: DeviceTokenEntity[] }> {
    const [notifications, devices] = await Promise.all([
      this.notifications.findAllOf(userId),
      this.deviceTokens.findAllOf(userId),
    ]);
    return { notifications, devices };
  }

  /**
   * Forgets the user (his account is being deleted): his devices (nothing is pushed to them any
   * more), his notifications and every delivery to him, sent or not. Idempotent.
   */
  async forgetUser(userId: string): Promise<void> {
    await this.deviceTokens.removeAllOf(userId);
    await this.notifications.deleteAllOf(userId);
    await this.deliveries.deleteAllFor(userId);
  }

  unreadCount(userId: string): Promise<number> {
    return this.notifications.countUnread(userId);
  }

  markRead(userId: string, input: { ids?: string[]; all?: boolean }): Promise<number> {
    const byIds = input.ids !== undefined;
    if (byIds === (input.all === true)) {
      throw NotificationsErrors.idsOrAll();
    }
    return this.notifications.markRead(userId, byIds ? input.ids! : 'all', this.clock.now());
  }

  registerDevice(
    userId: string,
    token: string,
    platform: DevicePlatform,
  ): Promise<DeviceTokenEntity> {
    return this.deviceTokens.upsert(userId, token, platform);
  }

  async removeDevice(userId: string, token: string): Promise<void> {
    if (!(await this.deviceTokens.removeForUser(userId, token))) {
      throw NotificationsErrors.deviceNotFound();
    }
  }

  /** Every type, with the user's choice or the default (all channels on). */
  async getPreferences(userId: string): Promise<Record<NotificationType, ChannelPreferences>> {
    const saved = await this.preferences.find(userId);
    return Object.fromEntries(
      NOTIFICATION_TYPES.map((type) => [type, saved[type] ?? ALL_ON]),
    ) as Record<NotificationType, ChannelPreferences>;
  }

  async setPreferences(
    userId: string,
    body: unknown,
  ): Promise<Record<NotificationType, ChannelPreferences>> {
    await this.preferences.merge(userId, this.validPreferences(body));
    return this.getPreferences(userId);
  }

  private async preferencesOf(userId: string, type: NotificationType): Promise<ChannelPreferences> {
    return (await this.preferences.find(userId))[type] ?? ALL_ON;
  }

  /** `{<type>: {inApp, push, email}}` for known types only, three booleans each. */
  private validPreferences(body: unknown): Record<string, ChannelPreferences> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw NotificationsErrors.badPreferences([
        { field: 'body', message: 'send an object keyed by event type' },
      ]);
    }
    const problems: Array<{ field: string; message: string }> = [];
    const valid: Record<string, ChannelPreferences> = {};
    for (const [type, channels] of Object.entries(body)) {
      if (!isNotificationType(type)) {
        problems.push({
          field: type,
          message: `unknown event type; known: ${NOTIFICATION_TYPES.join(', ')}`,
        });
        continue;
      }
      const isObject =
        typeof channels === 'object' && channels !== null && !Array.isArray(channels);
      const dto = plainToInstance(ChannelPreferencesDto, channels);
      const errors = isObject
        ? validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })
        : [];
      if (!isObject || errors.length > 0) {
        problems.push({ field: type, message: 'must be {inApp, push, email}, three booleans' });
        continue;
      }
      valid[type] = { inApp: dto.inApp, push: dto.push, email: dto.email };
    }
    if (problems.length > 0) {
      throw NotificationsErrors.badPreferences(problems);
    }
    return valid;
  }

  private toResponseWith(
    notification: NotificationEntity,
    deliveries: Array<{ channel: DeliveryChannel; status: string }>,
  ): NotificationResponseDto {
    return {
      id: notification.id,
      type: notification.type,
      title: notification.title,
      message: notification.message,
      data: notification.data,
      read: notification.read,
      createdAt: notification.createdAt,
      deliveries: deliveries as NotificationResponseDto['deliveries'],
    };
  }
}

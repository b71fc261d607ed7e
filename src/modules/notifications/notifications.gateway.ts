import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { isObjectIdString } from '../../common/validation/parse-object-id.pipe.js';
import type { AllConfig } from '../../config/config.js';
import { TokenRevokedEvent } from '../auth/events/token-revoked.event.js';
import { type AccessTokenPayload, TokenService, type TokenSession } from '../auth/token.service.js';
import { JobActor } from '../jobs/job-state-machine.js';
import { JobsService } from '../jobs/jobs.service.js';
import { UserBannedEvent } from '../users/events/user-banned.event.js';
import { UserTokensRevokedEvent } from '../users/events/user-tokens-revoked.event.js';
import type {
  ClientToServerEvents,
  ServerEvent,
  ServerEventPayload,
  ServerToClientEvents,
  SubscribeAck,
} from './ws-events.js';

interface SocketData {
  user: AuthUser;
  /** The handshake token's claims, checked again when the user's standing changes. */
  claims: AccessTokenPayload;
  expiryTimer?: NodeJS.Timeout;
}

/** Between instances (Redis adapter): "check the tokens of this user's sockets again". */
const RECHECK_USER = 'auth.recheck_user';

interface ServerSideEvents {
  [RECHECK_USER]: (userId: string) => void;
}

type AppServer = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

export const userRoom = (userId: string) => `user:${userId}`;
export const jobRoom = (jobId: string) => `job:${jobId}`;
const tokenRoom = (tokenId: string) => `token:${tokenId}`;

/** The most setTimeout accepts; longer-lived tokens are checked again when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Socket.IO, default namespace. The handshake must carry a valid access token
 * (`auth: { token }`); otherwise the client gets `connect_error` with `data.code`. Each socket
 * joins its user's room. A socket lives exactly as long as its token is good: a logout of its
 * token closes it, its expiry closes it (a timer per socket), and any change of the user's
 * standing (a ban, a password change or reset, and whatever else publishes
 * UserTokensRevokedEvent) has every instance check the tokens of that user's sockets again and
 * close those no longer good. Parties to a job may subscribe to its live status. With
 * REDIS_URL, rooms span every instance.
 */
@WebSocketGateway()
export class NotificationsGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect
{
  private readonly logger = new Logger(NotificationsGateway.name);
  /** Other instances share the rooms (Redis adapter) and must hear of rechecks. */
  private readonly clustered: boolean;

  @WebSocketServer()
  private server!: AppServer;

  constructor(
    private readonly tokenService: TokenService,
    private readonly jobsService: JobsService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.clustered = Boolean(config.get('redis', { infer: true }).url);
  }

  afterInit(server: AppServer): void {
    server.use((socket: AppSocket, next) => {
      this.authenticate(socket)
        .then(({ user, claims }) => {
          socket.data.user = user;
          socket.data.claims = claims;
          next();
        })
        .catch((error: unknown) => next(handshakeError(error)));
    });
    server.on(RECHECK_USER, (userId: string) => void this.recheckLocalSockets(userId));
  }

  async handleConnection(socket: AppSocket): Promise<void> {
    const { user } = socket.data;
    await socket.join([userRoom(user.id), tokenRoom(user.tokenId)]);
    this.closeAtExpiry(socket, user.tokenExpiresAt);
  }

  handleDisconnect(socket: AppSocket): void {
    clearTimeout(socket.data.expiryTimer);
  }

  /** Delivers an event to every socket of the user, on any instance (with the Redis adapter). */
  sendToUser<E extends ServerEvent>(
    userId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    (
      this.server.to(userRoom(userId)).emit as (event: E, payload: ServerEventPayload<E>) => boolean
    )(event, payload);
  }

  /** Delivers an event to the sockets subscribed to a job. */
  sendToJob<E extends ServerEvent>(jobId: string, event: E, payload: ServerEventPayload<E>): void {
    (this.server.to(jobRoom(jobId)).emit as (event: E, payload: ServerEventPayload<E>) => boolean)(
      event,
      payload,
    );
  }

  @SubscribeMessage('job.subscribe')
  async subscribe(
    @ConnectedSocket() socket: AppSocket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeAck> {
    const jobId = jobIdOf(body);
    if (!jobId) {
      return { ok: false, code: ErrorCode.ValidationFailed };
    }
    const job = await this.jobsService.getById(jobId).catch(() => null);
    if (!job) {
      return { ok: false, code: ErrorCode.NotFound };
    }
    if (this.jobsService.actorFor(job, socket.data.user) === JobActor.Other) {
      return { ok: false, code: ErrorCode.Forbidden };
    }
    await socket.join(jobRoom(jobId));
    return { ok: true };
  }

  @SubscribeMessage('job.unsubscribe')
  async unsubscribe(
    @ConnectedSocket() socket: AppSocket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeAck> {
    const jobId = jobIdOf(body);
    if (!jobId) {
      return { ok: false, code: ErrorCode.ValidationFailed };
    }
    await socket.leave(jobRoom(jobId));
    return { ok: true };
  }

  /** Every instance checks the user's sockets; this one before the change's request answers. */
  @OnEvent(UserBannedEvent.eventName)
  @OnEvent(UserTokensRevokedEvent.eventName)
  async onUserStandingChanged(event: { userId: string }): Promise<void> {
    if (this.clustered) {
      this.server.serverSideEmit(RECHECK_USER, event.userId);
    }
    await this.recheckLocalSockets(event.userId);
  }

  @OnEvent(TokenRevokedEvent.eventName)
  onTokenRevoked(event: TokenRevokedEvent): void {
    this.server.in(tokenRoom(event.tokenId)).disconnectSockets(true);
  }

  /** Closes this instance's sockets of the user whose token is no longer good. */
  private async recheckLocalSockets(userId: string): Promise<void> {
    try {
      const sockets = await this.server.local.in(userRoom(userId)).fetchSockets();
      await Promise.all(
        sockets.map(async (socket) => {
          if (!(await this.tokenService.isStillValid(socket.data.claims))) {
            socket.disconnect(true);
          }
        }),
      );
    } catch (error) {
      this.logger.error(`Could not check the sockets of user ${userId}: ${String(error)}`);
    }
  }

  private authenticate(socket: AppSocket): Promise<TokenSession> {
    const raw: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof raw !== 'string' || raw.length === 0) {
      return Promise.reject(
        new DomainError(ErrorCode.Unauthenticated, 'Send the access token as auth.token'),
      );
    }
    return this.tokenService.authenticate(raw.replace(/^Bearer\s+/i, ''));
  }

  private closeAtExpiry(socket: AppSocket, expiresAt: Date): void {
    const remaining = expiresAt.getTime() - Date.now();
    socket.data.expiryTimer = setTimeout(
      () => {
        if (Date.now() >= expiresAt.getTime()) {
          socket.disconnect(true);
        } else {
          this.closeAtExpiry(socket, expiresAt);
        }
      },
      Math.max(0, Math.min(remaining, MAX_TIMER_MS)),
    );
  }
}

/** The `jobId` of a `job.subscribe`/`job.unsubscribe` body, when it is an id. */
function jobIdOf(body: unknown): string | undefined {
  const jobId = (body as { jobId?: unknown } | null)?.jobId;
  return isObjectIdString(jobId) ? jobId : undefined;
}

/** What the client's `connect_error` carries: `message`, and `data.code` as in HTTP errors. */
function handshakeError(error: unknown): Error & { data: { code: string } } {
  const code = error instanceof DomainError ? error.code : ErrorCode.Unauthenticated;
  const message = error instanceof DomainError ? error.message : 'Authentication failed';
  if (!(error instanceof DomainError)) {
    new Logger(NotificationsGateway.name).error(`Socket handshake failed: ${String(error)}`);
  }
  return Object.assign(new Error(message), { data: { code } });
}

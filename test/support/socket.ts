import { io, type Socket } from 'socket.io-client';
import type { TestApp } from './test-app.js';

export interface ConnectError {
  message: string;
  data?: { code?: string };
}

class HandshakeRefused extends Error implements ConnectError {
  constructor(
    message: string,
    readonly data?: { code?: string },
  ) {
    super(message);
  }
}

/** A real Socket.IO client on the test app's port. Resolves once connected. */
export function connectSocket(t: TestApp, token?: string): Promise<Socket> {
  const socket = io(t.baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: token === undefined ? {} : { token },
    reconnection: false,
    forceNew: true,
    timeout: 5000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.close();
      reject(new HandshakeRefused(error.message, error.data));
    });
  });
}

/** The handshake's refusal, for a token that must be refused. */
export async function connectError(t: TestApp, token?: string): Promise<ConnectError> {
  try {
    const socket = await connectSocket(t, token);
    socket.close();
  } catch (error) {
    const { message, data } = error as HandshakeRefused;
    return { message, data };
  }
  throw new Error('expected the socket handshake to be refused');
}

/** Resolves with the reason when the server disconnects the socket. */
export function disconnection(socket: Socket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** The next `event` on the socket (matching `predicate`), or a rejection after `timeoutMs`. */
export function nextEvent<T = Record<string, unknown>>(
  socket: Socket,
  event: string,
  predicate: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    function listener(payload: T): void {
      if (predicate(payload)) {
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(payload);
      }
    }
    socket.on(event, listener);
  });
}

/** Every `event` the socket receives from now on. */
export function collect<T = Record<string, unknown>>(socket: Socket, event: string): T[] {
  const received: T[] = [];
  socket.on(event, (payload: T) => received.push(payload));
  return received;
}

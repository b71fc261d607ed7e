import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { createServer, type Server, type Socket } from 'node:net';
import type { AllConfig } from '../../config/config.js';
import { MailService } from './mail.service.js';

/** A mail server that accepts connections and never says a word. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, sockets };
}

function configWith(smtpUrl: string, leaseMs: number) {
  const values: Record<string, unknown> = {
    mail: { smtpUrl, from: 'noreply@example.com', publicAppUrl: 'http://localhost:5173' },
    app: { nodeEnv: 'test' },
    notifications: { leaseMs },
  };
  return { get: (key: string) => values[key] } as unknown as ConfigService<AllConfig, true>;
}

describe(MailService.name, () => {
  it('should give up on a mail server that never answers within a quarter of the delivery lease', async () => {
    const { server, port, sockets } = await silentServer();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const mail = new MailService(configWith(`smtp://127.0.0.1:${port}`, 4_000));
    mail.onModuleInit();
    try {
      const outcome = await mail
        .send({ to: 'someone@example.com', subject: 'Hello', text: 'Hi', html: '<p>Hi</p>' })
        .then(
          () => 'sent',
          (error: Error) => error.message,
        );

      // nodemailer's own timeouts are 30 s and more, far past this test's 5 s; which of its
      // timeouts (set to 1 s each) fires first depends on the machine's load: the greeting's, or
      // the socket's ("Timeout")
      expect(outcome).toMatch(/greeting|^timeout$/i);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      server.close();
      jest.restoreAllMocks();
    }
  });
});

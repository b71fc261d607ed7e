import { SMTPServer } from 'smtp-server';
import PostalMime, { type Email } from 'postal-mime';

export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO): who the mail really goes to, Bcc included. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** All of it as postal-mime parsed it: every header, Reply-To, attachments. */
  parsed: Email;
}

/**
 * A real SMTP server in the test process (smtp-server), keeping what arrives, parsed
 * (postal-mime). Point the app at it with `SMTP_URL: mailbox.url`.
 */
export class TestMailbox {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;
  private port = 0;
  private waiters: Array<() => void> = [];
  private holding = false;
  /** Messages received and not yet answered (while `hold()`): the sender is still waiting. */
  private held: Array<() => void> = [];
  /** Connections that failed (e.g. ECONNRESET from a killed sender), for a failing test to show. */
  readonly connectionErrors: Error[] = [];

  get listeningPort(): number {
    return this.port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          PostalMime.parse(Buffer.concat(chunks))
            .then((mail) => {
              this.received.push({
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                from: mail.from?.address ?? '',
                subject: mail.subject ?? '',
                text: mail.text ?? '',
                html: mail.html ?? '',
                parsed: mail,
              });
              this.waiters.splice(0).forEach((wake) => wake());
              if (this.holding) {
                this.held.push(() => callback());
              } else {
                callback();
              }
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    // a sender that vanishes mid-mail (the crash tests SIGKILL the app while it sends) resets
    // its connection: smtp-server reports that as an 'error' of the server, which would
    // otherwise be thrown; the mail it was sending is simply not received
    this.server.on('error', (error: Error) => this.connectionErrors.push(error));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
  }

  /** The mails whose Reply-To is `address`. */
  repliesTo(address: string): ReceivedMail[] {
    return this.received.filter((mail) =>
      mail.parsed.replyTo?.some((reply) => reply.address === address),
    );
  }

  /** Waits until `count` mails have Reply-To `address` (5 s at most), and returns them. */
  async waitForReplyTo(address: string, count = 1): Promise<ReceivedMail[]> {
    const deadline = Date.now() + 5000;
    while (this.repliesTo(address).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`${count} mail(s) with Reply-To ${address} did not arrive within 5 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.repliesTo(address);
  }

  /** From now on, keep each sender waiting for the answer to its message, until `release()`. */
  hold(): void {
    this.holding = true;
  }

  /** Answers every waiting sender, and stops holding. */
  release(): void {
    this.holding = false;
    this.held.splice(0).forEach((answer) => answer());
  }

  /** How many senders wait for an answer right now. */
  get waitingSenders(): number {
    return this.held.length;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** The first message to `address` matching `predicate`, waiting for it to arrive. */
  async waitFor(
    address: string,
    predicate: (mail: ReceivedMail) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((mail) => mail.to.includes(address) && predicate(mail));
      if (found) {
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no mail to ${address} arrived within ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.includes(address));
  }
}

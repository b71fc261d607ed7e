import { DeliveryDispatcher } from '../../src/modules/notifications/delivery.dispatcher.js';
import type { TestApp } from './test-app.js';

/** One command the driver sent: its name and the collection it names (if any). */
export interface RecordedCommand {
  name: string;
  collection: string;
}

/** What one measured call cost. */
export interface Measurement<T> {
  result: T;
  /** Sent from the start of the call until its answer (awaited listeners included). */
  duringCall: RecordedCommand[];
  /** Sent after the answer, until the app was quiet (the dispatcher sending deliveries). */
  afterCall: RecordedCommand[];
}

/** Commands that are the connection's own housekeeping, not the app's. */
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions']);

/** How long without a command counts as quiet. */
const QUIET_MS = 150;

/**
 * Counts the MongoDB commands an app sends, through the driver's command monitoring (the app
 * must run with MONGODB_MONITOR_COMMANDS=true). Heartbeats are not commands to the driver's
 * monitoring; connection housekeeping (`hello`, `ping`, `endSessions`) is left out.
 */
export class CommandRecorder {
  private recording: RecordedCommand[] | null = null;
  private lastCommandAt = 0;

  constructor(private readonly t: TestApp) {
    const client = t.connection.getClient();
    if (!client.options.monitorCommands) {
      throw new Error('start the app with MONGODB_MONITOR_COMMANDS=true to count its commands');
    }
    client.on('commandStarted', (event) => {
      if (HOUSEKEEPING.has(event.commandName)) {
        return;
      }
      this.lastCommandAt = Date.now();
      const target = (event.command as Record<string, unknown>)[event.commandName];
      this.recording?.push({
        name: event.commandName,
        collection: typeof target === 'string' ? target : '',
      });
    });
  }

  /** Waits until no delivery is being sent and no command came for QUIET_MS. */
  async quiet(): Promise<void> {
    const dispatcher = this.t.app.get(DeliveryDispatcher);
    for (;;) {
      await dispatcher.idle();
      const sinceLast = Date.now() - this.lastCommandAt;
      if (sinceLast >= QUIET_MS) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS - sinceLast));
    }
  }

  /** Runs `call` on a quiet app and records what it sends, during the call and after it. */
  async measure<T>(call: () => Promise<T>): Promise<Measurement<T>> {
    await this.quiet();
    const duringCall: RecordedCommand[] = [];
    this.recording = duringCall;
    let result: T;
    try {
      result = await call();
    } finally {
      this.recording = null;
    }
    const afterCall: RecordedCommand[] = [];
    this.recording = afterCall;
    try {
      await this.quiet();
    } finally {
      this.recording = null;
    }
    return { result, duringCall, afterCall };
  }

  /** Every command sent while `wait` runs (an idle app's background work). */
  async during(wait: () => Promise<void>): Promise<RecordedCommand[]> {
    const recorded: RecordedCommand[] = [];
    this.recording = recorded;
    try {
      await wait();
    } finally {
      this.recording = null;
    }
    return recorded;
  }
}

/** `find jobs, find users, insert invitations, …`: a measurement as its commands, in order. */
export function describeCommands(commands: RecordedCommand[]): string {
  const runs: Array<{ text: string; times: number }> = [];
  for (const command of commands) {
    const text = `${command.name}${command.collection ? ` ${command.collection}` : ''}`;
    if (runs.at(-1)?.text === text) {
      runs.at(-1)!.times += 1;
    } else {
      runs.push({ text, times: 1 });
    }
  }
  return runs.map(({ text, times }) => (times > 1 ? `${text} ×${times}` : text)).join(', ');
}

import type { OutputSink } from './child-process.js';

/** One run of a database engine process the app started. */
export interface EngineRun {
  pid: number;
  /** The port it listens on. */
  port: number;
  /** Resolves when the process has exited, whatever the reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** When to start a dead engine again, and when to stop trying. */
export interface RestartPolicy {
  /** Wait before the first restart; doubled for each further crash within `windowMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** This many crashes (or failed restarts) within `windowMs`, and the supervisor gives up. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 250,
  maxDelayMs: 4000,
  maxCrashes: 5,
  windowMs: 60_000,
};

export interface SupervisorOptions {
  /** For log lines, e.g. `embedded engine`. */
  name: string;
  /** Starts a run listening on `port` (0: a free one); rejects when it does not come up. */
  start(port: number): Promise<EngineRun>;
  /**
   * false when a new run could not serve the same data (an in-memory engine): a crash then
   * means giving up at once.
   */
  restartable: boolean;
  log: OutputSink;
  warn: OutputSink;
  error: OutputSink;
  /** Called once, after the supervisor gave up; the engine stays down. */
  onGiveUp(reason: string): void;
  policy?: Partial<RestartPolicy>;
}

/**
 * - `up`: the last run is alive (it may not accept connections at this very moment);
 * - `restarting`: it died and a new run is due or starting;
 * - `failed`: it died too often (or could not be restarted) and nobody will start it again;
 * - `stopped`: stopped on purpose, or not started yet.
 */
export type EngineState = 'up' | 'restarting' | 'failed' | 'stopped';

/**
 * Keeps a database engine process running: when a run exits without being asked to, it starts
 * a new one on the same port (the app's connection string stays valid and the driver
 * reconnects by itself), after a delay that doubles with each crash. After
 * `policy.maxCrashes` crashes within `policy.windowMs`, or one crash of an engine that is not
 * `restartable`, it gives up and calls `onGiveUp`.
 */
export class EngineSupervisor {
  private readonly policy: RestartPolicy;
  private current?: EngineRun;
  private currentState: EngineState = 'stopped';
  private port = 0;
  private latestPid?: number;
  private crashTimes: number[] = [];
  private timer?: NodeJS.Timeout;
  private restarting?: Promise<void>;

  constructor(private readonly options: SupervisorOptions) {
    this.policy = { ...DEFAULT_RESTART_POLICY, ...options.policy };
  }

  get state(): EngineState {
    return this.currentState;
  }

  /** The current run, if one is alive. */
  get run(): EngineRun | undefined {
    return this.current;
  }

  /** The pid of the latest run, alive or not. */
  get pid(): number | undefined {
    return this.latestPid;
  }

  /** Starts the first run on `port` (0: a free one); rejects as `options.start` does. */
  async start(port = 0): Promise<EngineRun> {
    const run = await this.options.start(port);
    this.port = run.port;
    this.adopt(run);
    return run;
  }

  /** Stops the current run, if any, and any restart under way; never restarts after this. */
  async stop(): Promise<void> {
    this.currentState = 'stopped';
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.restarting;
    const run = this.current;
    this.current = undefined;
    await run?.stop();
  }

  private adopt(run: EngineRun): void {
    this.current = run;
    this.latestPid = run.pid;
    this.currentState = 'up';
    void run.exited.then(({ code, signal }) => {
      if (this.current !== run || this.currentState === 'stopped') {
        return;
      }
      this.current = undefined;
      this.crashed(`${this.options.name} (pid ${run.pid}) exited (code ${code}, signal ${signal})`);
    });
  }

  private crashed(what: string): void {
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((at) => now - at < this.policy.windowMs), now];
    if (!this.options.restartable) {
      this.giveUp(`${what}; it kept its data in memory, so a new one would start empty`);
      return;
    }
    if (this.crashTimes.length >= this.policy.maxCrashes) {
      this.giveUp(
        `${what}; ${this.crashTimes.length} crashes within ${this.policy.windowMs / 1000} s`,
      );
      return;
    }
    const delayMs = Math.min(
      this.policy.maxDelayMs,
      this.policy.firstDelayMs * 2 ** (this.crashTimes.length - 1),
    );
    this.currentState = 'restarting';
    this.options.warn(`${what}; starting it again on port ${this.port} in ${delayMs} ms`);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.restarting = this.restart().finally(() => (this.restarting = undefined));
    }, delayMs);
    this.timer.unref();
  }

  private async restart(): Promise<void> {
    let run: EngineRun;
    try {
      run = await this.options.start(this.port);
    } catch (error) {
      if (this.currentState !== 'stopped') {
        this.crashed(`${this.options.name} did not start again: ${(error as Error).message}`);
      }
      return;
    }
    if (this.currentState === 'stopped') {
      await run.stop();
      return;
    }
    this.adopt(run);
    this.options.log(`${this.options.name} is up again on port ${run.port}, pid ${run.pid}`);
  }

  private giveUp(reason: string): void {
    this.currentState = 'failed';
    this.options.error(`giving up on the ${this.options.name}: ${reason}`);
    this.options.onGiveUp(reason);
  }
}

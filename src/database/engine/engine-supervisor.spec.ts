import { EngineRun, EngineSupervisor, RestartPolicy } from './engine-supervisor.js';

/** Engine processes that exist only in memory: the test kills them with `crash(n)`. */
function fakeEngine() {
  const runs: Array<{ run: EngineRun; crash(): void; stopped: boolean }> = [];
  const ports: number[] = [];
  let refusals = 0;
  return {
    runs,
    /** The ports each start was asked for. */
    ports,
    /** The next `n` starts fail, as a Java that cannot bind its port would. */
    refuseNext(n: number) {
      refusals = n;
    },
    start: (port: number): Promise<EngineRun> => {
      ports.push(port);
      if (refusals > 0) {
        refusals -= 1;
        return Promise.reject(new Error('address already in use'));
      }
      let exit!: (how: { code: number | null; signal: NodeJS.Signals | null }) => void;
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
        (resolve) => (exit = resolve),
      );
      const entry = {
        stopped: false,
        crash: () => exit({ code: null, signal: 'SIGKILL' }),
        run: {
          pid: 1000 + runs.length,
          port: port === 0 ? 27_999 : port,
          exited,
          stop: () => {
            entry.stopped = true;
            exit({ code: 0, signal: null });
            return Promise.resolve();
          },
        },
      };
      runs.push(entry);
      return Promise.resolve(entry.run);
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('the condition did not hold in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const FAST: Partial<RestartPolicy> = { firstDelayMs: 1, maxDelayMs: 8 };

function supervise(
  engine: ReturnType<typeof fakeEngine>,
  options: { restartable?: boolean; policy?: Partial<RestartPolicy> } = {},
) {
  const lines: string[] = [];
  const gaveUp: string[] = [];
  const supervisor = new EngineSupervisor({
    name: 'test engine',
    start: engine.start,
    restartable: options.restartable ?? true,
    log: (line) => lines.push(`log: ${line}`),
    warn: (line) => lines.push(`warn: ${line}`),
    error: (line) => lines.push(`error: ${line}`),
    onGiveUp: (reason) => gaveUp.push(reason),
    policy: { ...FAST, ...options.policy },
  });
  return { supervisor, lines, gaveUp };
}

describe(EngineSupervisor.name, () => {
  it('should start a crashed engine again on the same port, and say so', async () => {
    const engine = fakeEngine();
    const { supervisor, lines } = supervise(engine);
    await supervisor.start();

    engine.runs[0].crash();
    await until(() => engine.runs.length === 2 && supervisor.state === 'up');

    expect(engine.ports).toEqual([0, 27_999]);
    expect(supervisor.pid).toBe(1001);
    expect(lines).toEqual([
      'warn: test engine (pid 1000) exited (code null, signal SIGKILL); starting it again on port 27999 in 1 ms',
      'log: test engine is up again on port 27999, pid 1001',
    ]);
    await supervisor.stop();
  });

  it('should be restarting, not up, between the crash and the new run', async () => {
    const engine = fakeEngine();
    const { supervisor } = supervise(engine, { policy: { firstDelayMs: 60_000 } });
    await supervisor.start();

    engine.runs[0].crash();
    await until(() => supervisor.state !== 'up');

    expect(supervisor.state).toBe('restarting');
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
    expect(engine.runs).toHaveLength(1);
  });

  it('should count a failed restart as a crash, and try again after a longer wait', async () => {
    const engine = fakeEngine();
    const { supervisor, lines } = supervise(engine);
    await supervisor.start();

    engine.refuseNext(2);
    engine.runs[0].crash();
    await until(() => engine.runs.length === 2 && supervisor.state === 'up');

    expect(engine.ports).toEqual([0, 27_999, 27_999, 27_999]);
    expect(lines.filter((line) => line.startsWith('warn:'))).toEqual([
      expect.stringMatching(/exited .* in 1 ms$/),
      expect.stringMatching(/did not start again: address already in use; .* in 2 ms$/),
      expect.stringMatching(/did not start again: address already in use; .* in 4 ms$/),
    ]);
    await supervisor.stop();
  });

  it('should give up after maxCrashes crashes within the window, once, and stay down', async () => {
    const engine = fakeEngine();
    const { supervisor, gaveUp, lines } = supervise(engine, { policy: { maxCrashes: 3 } });
    await supervisor.start();

    for (let crash = 0; crash < 3; crash += 1) {
      await until(() => engine.runs.length === crash + 1 && supervisor.state === 'up');
      engine.runs[crash].crash();
    }
    await until(() => supervisor.state === 'failed');

    expect(engine.runs).toHaveLength(3);
    expect(gaveUp).toEqual([
      'test engine (pid 1002) exited (code null, signal SIGKILL); 3 crashes within 60 s',
    ]);
    expect(lines.at(-1)).toBe(`error: giving up on the test engine: ${gaveUp[0]}`);
  });

  it('should give up at the first crash of an engine that cannot be restarted (in memory)', async () => {
    const engine = fakeEngine();
    const { supervisor, gaveUp } = supervise(engine, { restartable: false });
    await supervisor.start();

    engine.runs[0].crash();
    await until(() => supervisor.state === 'failed');

    expect(engine.runs).toHaveLength(1);
    expect(gaveUp).toEqual([
      'test engine (pid 1000) exited (code null, signal SIGKILL); it kept its data in memory, so a new one would start empty',
    ]);
  });

  it('should not start again an engine stopped on purpose', async () => {
    const engine = fakeEngine();
    const { supervisor, gaveUp } = supervise(engine);
    await supervisor.start();

    await supervisor.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(engine.runs[0].stopped).toBe(true);
    expect(engine.runs).toHaveLength(1);
    expect(supervisor.state).toBe('stopped');
    expect(gaveUp).toEqual([]);
  });
});

import { ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';

export interface OutputSink {
  (line: string): void;
}

/** Forwards each line a child writes on `stream` to `sink`. */
export function forwardLines(stream: NodeJS.ReadableStream | null, sink: OutputSink): void {
  if (!stream) {
    return;
  }
  createInterface({ input: stream }).on('line', sink);
}

/** Resolves with the first stdout line matching `pattern`; rejects when the child exits first. */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
  describeFailure: () => string,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${timeoutMs} ms; ${describeFailure()}`)),
      timeoutMs,
    );
    const onExit = (code: number | null, signal: string | null) =>
      finish(
        new Error(
          `exited (code ${code}, signal ${signal}) before it was ready; ${describeFailure()}`,
        ),
      );
    const onError = (error: Error) => finish(error);
    function finish(error: Error | null, match?: RegExpMatchArray): void {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) {
        reject(error);
      } else {
        resolve(match!);
      }
    }
    function onLine(line: string): void {
      const match = line.match(pattern);
      if (match) {
        finish(null, match);
      }
    }
    lines.on('line', onLine);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Resolves when the child has exited, with how; call it right after `spawn`. */
export function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Makes sure the child does not outlive this process: on a normal exit and after an uncaught
 * exception Node still runs `exit` listeners. Returns the function that removes the hook.
 */
export function killOnExit(child: ChildProcess): () => void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
    }
  };
  process.once('exit', kill);
  return () => process.off('exit', kill);
}

export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error('could not find a free port'));
        }
      });
    });
  });
}

/** Polls until something accepts TCP connections on host:port. */
export async function waitForPort(
  host: string,
  port: number,
  timeoutMs: number,
  child: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`exited with code ${child.exitCode} before accepting connections`);
    }
    if (await canConnect(host, port)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`nothing accepted connections on ${host}:${port} within ${timeoutMs} ms`);
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killOnExit, stopChild, waitForLine } from '../../src/database/engine/child-process.js';
import { PROJECT_ROOT } from '../../src/database/engine/project-paths.js';

const SETUP_SCRIPT = join(PROJECT_ROOT, 'tools', 's3mock', 'setup.mjs');
const S3MOCK_DIR = join(PROJECT_ROOT, '.engine', 's3mock');

/** How long S3Mock may take to answer (it takes about 5 s on 2 cores; more with two at once). */
const START_TIMEOUT_MS = 60_000;

/**
 * Spring Boot's line once Jetty listens (S3Mock 3.12): "Jetty started on ports 41234 (ssl,
 * http/1.1), 38765 (http/1.1) with context path '/'": the HTTPS port first, then the HTTP one.
 */
const STARTED_LINE = /Jetty started on ports? (\d+) \(ssl, [^)]*\), (\d+) \(http\/1\.1\)/;

/**
 * Runs the command given after `sh -c SCRIPT sh`, and SIGTERMs it when this shell gets
 * SIGTERM/SIGINT or when its stdin reaches its end, which the OS makes happen when the test
 * process dies, even by SIGKILL: S3Mock (a JVM of ~200 MB) never outlives the tests.
 * A background job's stdin is /dev/null unless redirected, hence the copy on fd 3.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" &',
  'pid=$!',
  "trap 'kill -TERM $pid 2>/dev/null' TERM INT",
  '(cat <&3 >/dev/null; kill -TERM $pid 2>/dev/null) &',
  'wait $pid',
  'status=$?',
  // a trapped signal ends the first wait early: wait again for S3Mock itself
  'kill -0 $pid 2>/dev/null && { wait $pid; status=$?; }',
  'exit $status',
].join('\n');

/** A running S3Mock. */
export interface S3MockServer {
  /** Its plain-HTTP origin on 127.0.0.1, e.g. `http://127.0.0.1:38765` (path-style buckets). */
  endpoint: string;
  /** Stops it and removes its root folder. */
  stop(): Promise<void>;
}

/**
 * Starts S3Mock 3.12.0 (https://github.com/adobe/S3Mock; fetched by `tools/s3mock/setup.mjs`,
 * run here first, as the engine launcher does for the database) with its files in a fresh temp
 * folder, and resolves once it answers. Both of its ports are 0, so that the OS picks free ones
 * and two test workers never collide; the ports are read from its startup line:
 * - `--com.adobe.testing.s3mock.httpPort` is the plain-HTTP connector (S3MockProperties), the one
 *   `endpoint` names; S3Mock binds it on every interface;
 * - `--server.port` is Spring's own connector, HTTPS with a self-signed certificate in S3Mock
 *   (`S3MockApplication.PROP_HTTPS_PORT`), bound to 127.0.0.1 here and unused;
 * - `--com.adobe.testing.s3mock.domain.root` is where it keeps buckets and objects.
 * S3Mock checks no credentials or signatures and serves every object to anonymous GETs.
 *
 * @param options.initialBuckets buckets that exist from the start
 * @throws Error when the setup fails, Java exits, or it does not answer within 60 s
 */
export async function startS3Mock(
  options: { initialBuckets?: string[] } = {},
): Promise<S3MockServer> {
  const jar = await ensureS3MockJar();
  const root = await mkdtemp(join(tmpdir(), 's3mock-'));
  const args = [
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Xmx256m',
    '-jar',
    jar,
    '--server.port=0',
    '--server.address=127.0.0.1',
    '--com.adobe.testing.s3mock.httpPort=0',
    `--com.adobe.testing.s3mock.domain.root=${root}`,
    '--spring.main.banner-mode=off',
    '--logging.level.root=WARN',
    '--logging.level.org.springframework.boot.web.embedded.jetty=INFO',
  ];
  if (options.initialBuckets?.length) {
    args.push(
      `--com.adobe.testing.s3mock.domain.initialBuckets=${options.initialBuckets.join(',')}`,
    );
  }
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'sh', 'java', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    output.splice(0, Math.max(0, output.length - 50));
  };
  child.stderr.on('data', keep);
  const removeExitHook = killOnExit(child);
  const stop = async () => {
    removeExitHook();
    child.stdin.end();
    await stopChild(child);
    await rm(root, { recursive: true, force: true });
  };
  try {
    const [, , httpPort] = await waitForLine(
      child,
      STARTED_LINE,
      START_TIMEOUT_MS,
      () => `S3Mock's output: ${output.join('')}`,
    );
    child.stdout.on('data', keep);
    const endpoint = `http://127.0.0.1:${httpPort}`;
    await waitUntilAnswering(endpoint);
    return { endpoint, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs the setup script (quick once the jar is there) and returns the jar's path. */
async function ensureS3MockJar(): Promise<string> {
  const child = spawn(process.execPath, [SETUP_SCRIPT], { stdio: ['ignore', 'ignore', 'pipe'] });
  const errors: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0) {
    throw new Error(`S3Mock could not be set up (exit code ${code}): ${errors.join('')}`);
  }
  const jars = (await readdir(S3MOCK_DIR)).filter((name) => name.endsWith('-exec.jar'));
  if (jars.length !== 1) {
    throw new Error(`expected one S3Mock jar in ${S3MOCK_DIR}, found ${jars.length}`);
  }
  return join(S3MOCK_DIR, jars[0]);
}

/** ListBuckets until it answers 200 (Jetty listens a moment before Spring serves). */
async function waitUntilAnswering(endpoint: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.ok) {
        return;
      }
      last = new Error(`HTTP ${response.status}`);
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`S3Mock at ${endpoint} did not answer within ${START_TIMEOUT_MS} ms`, {
    cause: last,
  });
}

// Shared by the load benchmarks: servers in child processes, and JSON calls to them.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';

/**
 * The environment every benchmark runs the app with: quiet logs into `logDir`, the embedded
 * engine in memory (unless MONGODB_URI is set), rate limits out of the way, the expiry sweep off
 * (it is run by hand where measured); `overrides` last.
 */
export function benchEnv(logDir, overrides = {}) {
  return {
    ...process.env,
    LOG_LEVEL: 'warn',
    LOG_TO_STDOUT: 'false',
    LOG_DIR: logDir,
    EMBEDDED_MONGO_STORAGE: 'memory',
    LOGIN_RATE_LIMIT_PER_IP: '100000000',
    LOGIN_RATE_LIMIT_PER_IDENTIFIER: '100000000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000000',
    REGISTER_RATE_LIMIT_PER_IP: '100000000',
    INVITES_PER_JOB_PER_DAY: '100000000',
    INVITES_PER_EMAIL_PER_DAY: '100000000',
    INVITES_PER_CLIENT_PER_DAY: '100000000',
    INVITE_LOOKUPS_PER_CLIENT_PER_DAY: '100000000',
    INVITATION_SWEEP_CRON: '0 0 0 1 1 *',
    ...overrides,
  };
}

export const APP_SERVER = new URL('./servers/app.mjs', import.meta.url).pathname;
export const FASTIFY_SERVER = new URL('./servers/fastify-hello.mjs', import.meta.url).pathname;

/**
 * A server script in a child process, once it prints `LISTENING <port> [<mongodb uri> <engine>]`.
 * Further lines it prints go to `onLine`.
 */
export function startServer(script, { env = {}, nodeArgs = [], onLine = () => {} } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^LISTENING (\d+)(?: (\S+) (.*))?$/.exec(line);
      if (!match) {
        onLine(line);
        return;
      }
      resolve({
        child,
        url: `http://127.0.0.1:${match[1]}`,
        mongoUri: match[2],
        engine: match[3],
      });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export function stopServer(server) {
  return new Promise((resolve) => {
    server.child.once('exit', resolve);
    server.child.kill('SIGTERM');
  });
}

/** A JSON request to `base` (`http://host:port` plus any prefix); throws on a non-2xx answer. */
export async function call(base, method, path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

/** A new account of this role through `POST /api/auth/register`: `{accessToken, user}`. */
export function register(server, role) {
  return call(server.url, 'POST', '/api/auth/register', {
    email: `${role}-${Date.now()}-${randomBytes(3).toString('hex')}@bench.example.com`,
    password: 'bench-password-1',
    role,
    firstName: 'Bench',
    lastName: role,
  });
}

/** A job posted by `client` through the API. */
export function postJob(server, client) {
  return call(
    server.url,
    'POST',
    '/api/jobs',
    { title: 'Leaking pipe', description: 'The kitchen pipe leaks all day.', category: 'Plumbing' },
    client.accessToken,
  );
}

/**
 * What invite-send load needs: a client with a job, and `craftsmen` verified plumbers inserted
 * directly on the app's database (one new invitee per request).
 */
export async function seedInviteFixtures(server, craftsmen) {
  const client = await register(server, 'client');
  const job = await postJob(server, client);
  const connection = await mongoose
    .createConnection(server.mongoUri, { dbName: 'craftsmen' })
    .asPromise();
  const ids = [];
  for (let offset = 0; offset < craftsmen; offset += 5000) {
    const docs = [];
    for (let i = offset; i < Math.min(craftsmen, offset + 5000); i += 1) {
      const _id = new mongoose.Types.ObjectId();
      ids.push(_id.toHexString());
      docs.push({
        _id,
        email: `c${i}-${_id}@bench.example.com`,
        phoneKey: `none:${_id}`,
        passwordHash: 'x',
        role: 'craftsman',
        firstName: 'C',
        lastName: 'B',
        firstNameKey: 'c',
        lastNameKey: 'b',
        rating: 0,
        ratingCount: 0,
        bannedAt: null,
        tokensValidAfter: null,
        craftsmanInfo: {
          skills: ['Plumbing'],
          available: true,
          serviceRadiusKm: 10,
          verificationStatus: 'verified',
          stats: {},
        },
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    }
    await connection.collection('users').insertMany(docs, { ordered: false });
  }
  await connection.close();
  return { token: client.accessToken, jobId: job.id, craftsmen: ids };
}

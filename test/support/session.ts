import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app.js';
import { TEST_ADMIN } from './test-app.js';

export interface Session {
  accessToken: string;
  user: { id: string; email: string; role: string; [key: string]: unknown };
  password: string;
  /** `Authorization` header value. */
  bearer: string;
}

export interface NewUserOptions {
  role?: 'client' | 'craftsman';
  email?: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
}

let counter = 0;

export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}@example.com`;
}

/** Registers through the API, as an app would, and hands back the signed-in session. */
export async function register(t: TestApp, options: NewUserOptions = {}): Promise<Session> {
  const password = options.password ?? 'correct-horse-1';
  const response = await t.http
    .post('/api/auth/register')
    .send({
      email: options.email ?? uniqueEmail(options.role ?? 'client'),
      password,
      role: options.role ?? 'client',
      firstName: options.firstName ?? 'Mona',
      lastName: options.lastName ?? 'Khaled',
      ...(options.phone ? { phone: options.phone } : {}),
    })
    .expect(201);
  return sessionOf(response.body, password);
}

export function newClient(
  t: TestApp,
  options: Omit<NewUserOptions, 'role'> = {},
): Promise<Session> {
  return register(t, { ...options, role: 'client' });
}

export function newCraftsman(
  t: TestApp,
  options: Omit<NewUserOptions, 'role'> = {},
): Promise<Session> {
  return register(t, { ...options, firstName: options.firstName ?? 'Karim', role: 'craftsman' });
}

export async function login(
  t: TestApp,
  loginIdentifier: string,
  password: string,
  type: 'clients' | 'admins' = 'clients',
): Promise<Session> {
  const response = await t.http
    .post('/api/auth/login')
    .send({ loginIdentifier, password, type })
    .expect(200);
  return sessionOf(response.body, password);
}

/**
 * Verifies `session`'s email through POST /auth/verify-email with the token of the verification
 * mail, read from the app's outbox (an app without SMTP_URL keeps its mail there; one with SMTP:
 * read the test mailbox instead). Answers the account as verify-email returned it.
 */
export async function verifyEmail(t: TestApp, session: Session): Promise<Session['user']> {
  const mails = t
    .readOutbox()
    .filter((mail) => mail.includes(`\nTo: ${session.user.email}\n`))
    .filter((mail) => mail.includes('Confirm your email address'));
  const token = /token=([\w-]+)/.exec(mails[mails.length - 1] ?? '')?.[1];
  if (!token) {
    throw new Error(`no verification mail to ${session.user.email} in the outbox`);
  }
  const response = await t.http.post('/api/auth/verify-email').send({ token }).expect(200);
  return response.body.user as Session['user'];
}

/** The admin seeded at boot. */
export function loginAsAdmin(t: TestApp): Promise<Session> {
  return login(t, TEST_ADMIN.email, TEST_ADMIN.password, 'admins');
}

/** A moderator created by the seeded admin, signed in. */
export async function newModerator(t: TestApp): Promise<Session> {
  const admin = await loginAsAdmin(t);
  const email = uniqueEmail('moderator');
  const password = 'moderator-pass-1';
  await t.http
    .post('/api/admin/users/create-admin')
    .set('Authorization', admin.bearer)
    .send({ email, password, firstName: 'Mo', lastName: 'Derator', role: 'moderator' })
    .expect(201);
  return login(t, email, password, 'admins');
}

function sessionOf(
  body: { accessToken: string; user: Session['user'] },
  password: string,
): Session {
  return {
    accessToken: body.accessToken,
    user: body.user,
    password,
    bearer: `Bearer ${body.accessToken}`,
  };
}

/** No key anywhere in the JSON that could be a secret. */
export function secretKeysIn(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => secretKeysIn(item, `${path}[${index}]`));
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  return Object.entries(value).flatMap(([key, field]) => {
    const here = path ? `${path}.${key}` : key;
    const own = /password|hash|tokensValidAfter|^_id$|^__v$/i.test(key) ? [here] : [];
    return [...own, ...secretKeysIn(field, here)];
  });
}

import { randomBytes } from 'node:crypto';
import type { Session } from '../support/session.js';
import {
  ACTORS,
  type Actor,
  type SignedInActor,
  type World,
} from './authorization-matrix.fixtures.js';

/**
 * The authorization matrix's vocabulary: what a row is and the common sets of callers. The rows
 * are in `authorization-matrix.table.ts` (the core) and one file per later area
 * (`authorization-matrix.money.ts`, …), gathered in MATRIX.
 *
 * What a caller gets:
 * - `allow`: the call goes through, 2xx (every row sends a valid body on a real fixture);
 * - `deny401`: 401, no (valid) token;
 * - `deny403`: 403, signed in but not allowed;
 * - `deny404`: 404, not allowed, and the lookup is scoped to the caller so that the thing is
 *   "not found" for him (used only where API.md names no status and the code does this).
 */
export type Outcome = 'allow' | 'deny401' | 'deny403' | 'deny404';
export type Expectations = Readonly<Record<Actor, Outcome>>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface MatrixRequest {
  /** The concrete path: the row's template with the fixture's ids. */
  path: string;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Bytes sent as they are, instead of `body` (a gateway's signature covers them). */
  rawBody?: Buffer;
  /** A multipart/form-data body instead (uploads): text fields and one file part `file`. */
  form?: { fields: Record<string, string>; file: Buffer; filename: string; contentType: string };
  /**
   * Call with this session rather than the actor's own: another token of the same account, or
   * a new account with the actor's role, for calls that spoil the session they are made with.
   */
  as?: Session;
}

/** The HTTP call of a test agent, as far as a matrix request sets it up. */
interface Call extends PromiseLike<{ status: number; body?: { code?: string; message?: string } }> {
  set(headers: Record<string, string>): Call;
  set(name: string, value: string): Call;
  query(query: Record<string, string | number | boolean>): Call;
  send(body: string | object): Call;
  field(name: string, value: string): Call;
  attach(field: string, file: Buffer, options: { filename: string; contentType: string }): Call;
}

/** `call` with the request's token, query, headers and body (JSON, raw bytes or a form). */
export function withRequest<C extends Call>(call: C, request: MatrixRequest, session?: Session): C {
  let prepared: Call = session ? call.set('Authorization', session.bearer) : call;
  if (request.query) {
    prepared = prepared.query(request.query);
  }
  if (request.headers) {
    prepared = prepared.set(request.headers);
  }
  if (request.form) {
    const { fields, file, filename, contentType } = request.form;
    for (const [name, value] of Object.entries(fields)) {
      prepared = prepared.field(name, value);
    }
    return prepared.attach('file', file, { filename, contentType }) as C;
  }
  const payload = request.rawBody?.toString('utf8') ?? request.body;
  return (payload === undefined ? prepared : prepared.send(payload)) as C;
}

export interface MatrixRow {
  method: Method;
  /** As in openapi.json. */
  path: string;
  /** Who may call, and where that is written (API.md; the code's guards where API.md is silent). */
  rule: string;
  expect: Expectations;
  /**
   * The request for one actor. Fixtures a call may change come from `w.untilUsed`: new ones after
   * every call that went through.
   */
  request(w: World, actor: Actor): Promise<MatrixRequest>;
}

/** Operations of openapi.json the table leaves out, and why. */
export const EXCLUDED_OPERATIONS: Readonly<Record<string, string>> = {
  'GET /api/health':
    'public liveness probe for load balancers, no user data; health.e2e-spec.ts covers it',
};

/** Everyone, with or without a token (a token sent to a public route changes nothing). */
export const PUBLIC: Expectations = Object.fromEntries(
  ACTORS.map((actor) => [actor, 'allow']),
) as Record<Actor, Outcome>;

/**
 * A route behind a token: anonymous callers get 401, the listed signed-in actors (or all of
 * them) get through, every other signed-in actor gets 403 unless `otherwise` says else.
 */
export function only(
  allowed: readonly SignedInActor[] | 'anyone signed in',
  otherwise: Partial<Record<SignedInActor, Outcome>> = {},
): Expectations {
  return Object.fromEntries(
    ACTORS.map((actor): [Actor, Outcome] => {
      if (actor === 'anonymous') {
        return [actor, 'deny401'];
      }
      if (allowed === 'anyone signed in' || allowed.includes(actor)) {
        return [actor, 'allow'];
      }
      return [actor, otherwise[actor] ?? 'deny403'];
    }),
  ) as Record<Actor, Outcome>;
}

export const ANYONE = 'anyone signed in';
export const STAFF: SignedInActor[] = ['moderator', 'admin'];
export const CRAFTSMEN: SignedInActor[] = ['craftsman', 'anotherCraftsman'];

export function isSignedIn(actor: Actor): actor is SignedInActor {
  return actor !== 'anonymous';
}

export function hex(): string {
  return randomBytes(4).toString('hex');
}

export const JOB_BODY = {
  title: 'Paint the living room',
  description: 'Two walls, white, this week if possible.',
  category: 'Painting',
};

/**
 * Helpers of the chaos tests: HTTP calls that may lose their answer (the server is killed while
 * they are in flight) and a seeded random source, so that a failing run can be replayed.
 */

/** What a call answered; `status` null when the connection died before a whole answer came. */
export interface Answer {
  status: number | null;
  body: Record<string, unknown> | null;
  /** Why there is no answer (the connection's error). */
  error?: string;
}

export interface HttpCall {
  method: 'GET' | 'POST';
  /** From `/api/...`, with its query. */
  path: string;
  /** `Authorization` header value. */
  bearer?: string;
  idempotencyKey?: string;
  body?: unknown;
}

/**
 * One call with the platform's fetch (not supertest: a call whose server dies must fail, not
 * hang). Never rejects: a reset connection, a refused one or a cut body is an `Answer` without
 * status.
 */
export async function call(baseUrl: string, request: HttpCall): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (request.bearer) {
    headers.authorization = request.bearer;
  }
  if (request.idempotencyKey) {
    headers['idempotency-key'] = request.idempotencyKey;
  }
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    };
  } catch (error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return { status: null, body: null, error: String(cause ?? error) };
  }
}

/** `call`, for a call that must answer `status`; throws with what it answered otherwise. */
export async function callExpecting<T>(
  baseUrl: string,
  request: HttpCall,
  status: number,
): Promise<T> {
  const answer = await call(baseUrl, request);
  if (answer.status !== status) {
    throw new Error(
      `${request.method} ${request.path} answered ${answer.status ?? answer.error} (expected ${status}): ${JSON.stringify(answer.body)}`,
    );
  }
  return answer.body as T;
}

/** A deterministic source of numbers in [0, 1) (mulberry32): the same seed, the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

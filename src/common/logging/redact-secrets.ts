/**
 * Secrets (tokens, passwords, hashes) and personal data (email addresses, phone numbers) never
 * reach a log line. Where they are known to travel, the code that logs leaves them out (request
 * paths, duplicate keys, mail); `redactText` is the last line of defence on every line the
 * logger writes, for whatever a library puts in an error message.
 */
export const REDACTED = '<redacted>';

/** Route parameters whose value is a secret, e.g. `/invite-links/:token/accept`. */
const SECRET_PARAM = /token|secret|password/i;

/** In a path no route matched, a segment that is plainly a word or an id (not a token). */
const PLAIN_SEGMENT = /^[\w.-]{0,32}$/;

/**
 * The path of a request as a log line shows it: no query string (tokens travel in some), and
 * each segment matched by a secret route parameter (`:token`) replaced by `<redacted>`. A path
 * no route matched keeps only its short, plain segments.
 */
export function loggablePath(url: string, routePattern?: string): string {
  const question = url.indexOf('?');
  const segments = (question === -1 ? url : url.slice(0, question)).split('/');
  const pattern = routePattern?.split('/');
  if (pattern && pattern.length === segments.length && !routePattern!.includes('*')) {
    return segments
      .map((segment, i) =>
        pattern[i].startsWith(':') && SECRET_PARAM.test(pattern[i]) ? REDACTED : segment,
      )
      .join('/');
  }
  return segments.map((segment) => (PLAIN_SEGMENT.test(segment) ? segment : REDACTED)).join('/');
}

const TEXT_RULES: Array<[RegExp, string]> = [
  // MongoDB's E11000 message quotes the duplicate value
  [/dup key: \{[^}]*\}/g, `dup key: { ${REDACTED} }`],
  // JWTs (access tokens) and argon2 hashes
  [/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, REDACTED],
  [/\$argon2\w*\$[^\s"',]+/g, REDACTED],
  // links carrying a token (password reset, invitations)
  [/([?&](?:token|code|secret|password)=)[^&\s"'<>]+/gi, `$1${REDACTED}`],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b/gi, '<redacted email>'],
  // phone numbers in E.164 (+201001234567) or the local form (01001234567)
  [/\+\d{8,15}\b/g, '<redacted phone>'],
  [/\b0\d{9,11}\b/g, '<redacted phone>'],
  // our tokens are 43 base64url characters, hashes of them 64 hex, FCM device tokens longer
  [/[\w-]{40,}/g, REDACTED],
];

/** `text` with every token, hash, email address and phone number in it replaced. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of TEXT_RULES) {
    result = result.replace(pattern, replacement);
  }
  return result;
}

/**
 * A copy of `value` with `redactText` applied to every string in it (objects and arrays, a few
 * levels deep); anything else as it is.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return redactText(value);
  }
  if (depth >= 4 || value === null || typeof value !== 'object' || value instanceof Date) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactValue(item, depth + 1));
  }
  if (value instanceof Error) {
    // pino serializes errors itself (see createLogger's `err` serializer)
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, redactValue(field, depth + 1)]),
  );
}

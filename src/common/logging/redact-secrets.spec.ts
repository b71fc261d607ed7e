import { loggablePath, redactText, redactValue } from './redact-secrets.js';

const TOKEN = 'n8l1_9V-MnBzjjwQKEjo-EcXJIrfvc3NDljoLUj0iUA';

describe(loggablePath.name, () => {
  it('should replace the values of secret route parameters and drop the query', () => {
    expect(
      loggablePath(`/api/invite-links/${TOKEN}/accept`, '/api/invite-links/:token/accept'),
    ).toBe('/api/invite-links/<redacted>/accept');
    expect(
      loggablePath(`/api/invitations/by-token/${TOKEN}?x=1`, '/api/invitations/by-token/:token'),
    ).toBe('/api/invitations/by-token/<redacted>');
    expect(
      loggablePath('/api/notifications/devices/abc', '/api/notifications/devices/:token'),
    ).toBe('/api/notifications/devices/<redacted>');
  });

  it('should keep ids and the other parameters', () => {
    expect(
      loggablePath(
        '/api/jobs/6b0c39e7d303ed88c294f746/invite-links',
        '/api/jobs/:jobId/invite-links',
      ),
    ).toBe('/api/jobs/6b0c39e7d303ed88c294f746/invite-links');
  });

  it('should keep only short plain segments of a path no route matched', () => {
    expect(loggablePath(`/api/nothing/${TOKEN}/x%40y.com/6b0c39e7d303ed88c294f746`)).toBe(
      '/api/nothing/<redacted>/<redacted>/6b0c39e7d303ed88c294f746',
    );
  });
});

describe(redactText.name, () => {
  it('should hide emails, phones, tokens, JWTs, hashes and duplicate values', () => {
    const text = [
      'Mail to mona.khaled+x@example.co.uk failed',
      'phone +201001234567 or 01001234567',
      `link https://app.example.com/reset-password?token=${TOKEN}&x=1`,
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      'E11000 duplicate key error index: phoneKey_1 dup key: { phoneKey: "+20 100" }',
      'a'.repeat(64),
    ].join('\n');

    const redacted = redactText(text);

    expect(redacted).not.toMatch(/mona|1001234567|eyJ|argon2id|\+20 100|aaaa/);
    expect(redacted).not.toContain(TOKEN);
    expect(redacted).toContain('index: phoneKey_1 dup key: { <redacted> }');
    expect(redacted).toContain('reset-password?token=<redacted>&x=1');
  });

  it('should leave request ids, object ids, times, versions and stack traces alone', () => {
    const text = [
      'request 0b4a3c2e-8f7d-4e5a-9b1c-2d3e4f5a6b7c on GET /api/jobs/6b0c39e7d303ed88c294f746',
      '2026-11-29T14:42:44.871Z pino@10.4.0 port 36777 pid 14544 took 1732886564871 ms',
      'at Object.<anonymous> (/work/main/node_modules/@nestjs/core/router/router-proxy.js:9:23)',
      'at de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection.findAndModify',
    ].join('\n');

    expect(redactText(text)).toBe(text);
  });
});

describe(redactValue.name, () => {
  it('should redact the strings inside objects and arrays, and leave the rest', () => {
    const when = new Date(0);

    expect(
      redactValue({ msg: 'to a@b.io', n: 3, when, nested: [{ to: 'c@d.io' }], none: null }),
    ).toEqual({
      msg: 'to <redacted email>',
      n: 3,
      when,
      nested: [{ to: '<redacted email>' }],
      none: null,
    });
  });
});

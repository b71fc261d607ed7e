import { jest } from '@jest/globals';
import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Error as MongooseError, mongo } from 'mongoose';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { CommonErrors, DomainError } from './domain.error.js';
import { DomainExceptionFilter } from './domain-exception.filter.js';
import { ErrorCode } from './error-code.js';

/** A request and a reply that records what would have been sent. */
function httpHost(request: Record<string, unknown> = {}) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = {
    headers: {},
  };
  const reply = {
    sent: false,
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = new ExecutionContextHost([
    { method: 'GET', url: '/api/x', id: 'req-1', is404: false, ...request },
    reply,
  ]);
  host.setType('http');
  return { host, sent };
}

describe(DomainExceptionFilter.name, () => {
  const filter = new DomainExceptionFilter();

  it('should answer the status of the code with the body of API.md', () => {
    const { host, sent } = httpHost();

    filter.catch(
      new DomainError(ErrorCode.EmailTaken, 'An account with this email already exists'),
      host,
    );

    expect(sent.status).toBe(409);
    expect(sent.body).toEqual({
      statusCode: 409,
      code: 'EMAIL_TAKEN',
      message: 'An account with this email already exists',
    });
  });

  it('should carry details, and a Retry-After header for rate limits', () => {
    const { host, sent } = httpHost();

    filter.catch(CommonErrors.rateLimited('Slow down', { retryAfterSeconds: 42 }), host);

    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('42');
    expect(sent.body).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: 'Slow down',
      details: { retryAfterSeconds: 42 },
    });
  });
});

describe(AllExceptionsFilter.name, () => {
  const filter = new AllExceptionsFilter();
  let logged: string[];

  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should answer a bug with 500 INTERNAL and an error id, and log it once under that id', () => {
    const { host, sent } = httpHost();

    filter.catch(new TypeError("Cannot read properties of undefined (reading 'secret')"), host);

    const body = sent.body as { errorId: string };
    expect(sent.status).toBe(500);
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
      errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(body.errorId);
    expect(logged[0]).toContain('GET /api/x');
  });

  it('should log a bug on a route with a secret parameter without the secret', () => {
    const { host } = httpHost({
      url: '/api/invitations/by-token/n8l1_9V-MnBzjjwQKEjo-EcXJIrfvc3NDljoLUj0iUA?x=1',
      routeOptions: { url: '/api/invitations/by-token/:token' },
    });

    filter.catch(new TypeError('boom'), host);

    expect(logged).toEqual([
      expect.stringContaining('on GET /api/invitations/by-token/<redacted> (request req-1)'),
    ]);
  });

  it('should answer an unmapped duplicate key with 409 and log its index, never the value', () => {
    const { host, sent } = httpHost();
    const duplicate = new mongo.MongoServerError({
      message:
        'E11000 duplicate key error collection: app.users index: phoneKey_1 dup key: { phoneKey: "+201001234567" }',
      code: 11000,
    });

    filter.catch(duplicate, host);

    expect(sent.status).toBe(409);
    expect(logged).toEqual(['Unmapped duplicate key on index phoneKey_1']);
  });

  it('should answer an unmatched route with "API route not found"', () => {
    const { host, sent } = httpHost({ is404: true, url: '/api/nope?x=1' });

    filter.catch(new NotFoundException('Cannot GET /api/nope'), host);

    expect(sent.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'API route not found',
    });
  });

  it('should keep the message of a 4xx HTTP exception and give it a code', () => {
    const { host, sent } = httpHost();

    filter.catch(new BadRequestException('Body is not valid JSON'), host);

    expect(sent.body).toEqual({
      statusCode: 400,
      code: 'BAD_REQUEST',
      message: 'Body is not valid JSON',
    });
  });

  it('should answer a cast error from the database as an invalid id', () => {
    const { host, sent } = httpHost();

    filter.catch(new MongooseError.CastError('ObjectId', 'zzz', '_id'), host);

    expect(sent.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Resource not found (invalid ID)',
    });
  });

  it('should answer an unreachable database with 503', () => {
    const { host, sent } = httpHost();

    filter.catch(new mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'), host);

    expect(sent.status).toBe(503);
    expect((sent.body as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(sent.body)).not.toContain('27017');
  });

  it('should answer a socket the database closed under a write (EPIPE) with 503, not 500', () => {
    const { host, sent } = httpHost();
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), {
      code: 'EPIPE',
    });

    filter.catch(epipe, host);

    expect(sent.status).toBe(503);
    expect((sent.body as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
  });
});

import { DomainError } from '../errors/domain.error.js';
import { ErrorCode } from '../errors/error-code.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the guard to refuse');
}

describe(JwtAuthGuard.name, () => {
  const guard = new JwtAuthGuard({} as never);

  it('should hand over the user the strategy validated', () => {
    const user = { id: 'u1' };

    expect(guard.handleRequest(null, user, undefined)).toBe(user);
  });

  it('should say a token is missing when there is none', () => {
    const error = errorOf(() => guard.handleRequest(null, false, new Error('No auth token')));

    expect(error.code).toBe(ErrorCode.Unauthenticated);
    expect(error.message).toMatch(/Authorization: Bearer/);
  });

  it('should say an expired token expired', () => {
    const expired = Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' });

    expect(errorOf(() => guard.handleRequest(null, false, expired)).message).toBe(
      'Access token has expired',
    );
  });

  it('should pass on the domain error of a revoked token as it is', () => {
    const revoked = new DomainError(ErrorCode.Unauthenticated, 'Access token has been revoked');

    expect(errorOf(() => guard.handleRequest(revoked, false, undefined))).toBe(revoked);
  });

  it('should let a database failure through (it becomes a 503, not a 401)', () => {
    const outage = new Error('connect ECONNREFUSED');

    expect(() => guard.handleRequest(outage, false, undefined)).toThrow(outage);
  });

  it('should call anything else an invalid token', () => {
    const error = errorOf(() => guard.handleRequest(null, false, new Error('invalid signature')));

    expect(error).toBeInstanceOf(DomainError);
    expect(error.message).toBe('Invalid access token');
  });
});

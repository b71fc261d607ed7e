import { DomainError } from '../errors/domain.error.js';
import { ErrorCode } from '../errors/error-code.js';
import { ParseObjectIdPipe } from './parse-object-id.pipe.js';

describe(ParseObjectIdPipe.name, () => {
  const pipe = new ParseObjectIdPipe();

  it('should pass a 24-hex id through, lower-cased', () => {
    expect(pipe.transform('65A1B2C3D4E5F60718293A4B')).toBe('65a1b2c3d4e5f60718293a4b');
  });

  it.each(['123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '65a1b2c3d4e5f60718293a4b0', '', 42, { $gt: '' }])(
    'should answer 404 "Resource not found (invalid ID)" for %p',
    (value) => {
      expect(() => pipe.transform(value)).toThrow(DomainError);
      try {
        pipe.transform(value);
      } catch (error) {
        expect((error as DomainError).code).toBe(ErrorCode.NotFound);
        expect((error as DomainError).message).toBe('Resource not found (invalid ID)');
      }
    },
  );
});

import { Types } from 'mongoose';
import { DomainError } from '../errors/domain.error.js';
import { ErrorCode } from '../errors/error-code.js';
import { afterCondition, cursorAfter, decodeCursor, encodeCursor } from './cursor.js';

const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

function codeOf(run: () => unknown): ErrorCode | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.code : undefined;
  }
  return undefined;
}

describe('cursor pagination', () => {
  it('should give back the last item’s sort keys, with their types, and the offset', () => {
    const id = new Types.ObjectId();
    const createdAt = new Date('2026-11-22T10:00:00.000Z');

    const cursor = decodeCursor(
      cursorAfter({ _id: id, createdAt, title: 'x' }, NEWEST_FIRST, 20),
      NEWEST_FIRST,
    );

    expect(cursor.offset).toBe(20);
    expect(cursor.values[0]).toEqual(createdAt);
    expect(cursor.values[0]).toBeInstanceOf(Date);
    expect(cursor.values[1]).toBeInstanceOf(Types.ObjectId);
    expect(String(cursor.values[1])).toBe(id.toHexString());
  });

  it('should read nested sort keys and keep a missing one as null', () => {
    const sort = { 'profile.rating': -1, name: 1, _id: 1 } as const;

    const { values } = decodeCursor(
      cursorAfter({ profile: { rating: 4.5 }, _id: 'a' }, sort, 1),
      sort,
    );

    expect(values).toEqual([4.5, null, 'a']);
  });

  it('should continue strictly after the cursor in a descending order', () => {
    const createdAt = new Date('2026-11-22T10:00:00.000Z');
    const id = new Types.ObjectId();

    expect(afterCondition(NEWEST_FIRST, [createdAt, id])).toEqual({
      $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }],
    });
  });

  it('should continue strictly after the cursor in an ascending order', () => {
    expect(afterCondition({ expiresAt: 1, _id: 1 }, [5, 'b'])).toEqual({
      $or: [{ expiresAt: { $gt: 5 } }, { expiresAt: 5, _id: { $gt: 'b' } }],
    });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/=='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['too long', 'a'.repeat(513)],
    ['another list’s cursor (one key)', encodeCursor({ values: ['x'], offset: 0 })],
    ['a negative offset', encodeCursor({ values: [1, 2], offset: -1 })],
    ['a fractional offset', encodeCursor({ values: [1, 2], offset: 1.5 })],
    [
      'an operator in a value',
      Buffer.from(JSON.stringify({ v: [{ $gt: '' }, 'x'], n: 0 })).toString('base64url'),
    ],
    [
      'a $where in a value',
      Buffer.from(JSON.stringify({ v: [{ $where: 'sleep(1000)' }, 'x'], n: 0 })).toString(
        'base64url',
      ),
    ],
  ])('should refuse %s with 400 VALIDATION_FAILED', (_case, text) => {
    expect(codeOf(() => decodeCursor(text, NEWEST_FIRST))).toBe(ErrorCode.ValidationFailed);
  });
});
